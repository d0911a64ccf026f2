using System;

namespace MeshMessenger.Protocol.Collections;

/// <summary>
/// A map from <see cref="uint"/> keys to object values with a hard capacity, for subset code: nanoFramework's
/// mscorlib 1.x has no Hashtable (it lives in the unserved nanoFramework.System.Collections package) and no generics.
/// Keys are stored unboxed. Entries sit in dense arrays (so <see cref="KeyAt"/> and <see cref="ValueAt"/> iterate
/// without allocating); an open-addressing index with linear probing maps a key to its dense position.
/// Storage starts small and doubles as keys arrive, never past the capacity, so a large cap costs nothing until it
/// is used: at most about 4 + 8 bytes per key of capacity plus 2 × 4 bytes of index per key.
/// </summary>
public sealed class KeyedTable
{
    private const int InitialSize = 8;

    private readonly int _capacity;
    private uint[] _keys;
    private object[] _values;

    // Index slots hold dense position + 1; 0 marks an empty slot. The slot count is a power of two at least twice
    // the dense arrays' length, so probe runs stay short and a free slot always exists.
    private int[] _slots;
    private int _mask;
    private int _count;

    /// <summary>Creates an empty table that holds at most <paramref name="capacity"/> keys.</summary>
    /// <param name="capacity">The hard limit on the number of keys, at least 1.</param>
    public KeyedTable(int capacity)
    {
        if (capacity < 1 || capacity > 0x10000000)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }

        _capacity = capacity;
        int size = capacity < InitialSize ? capacity : InitialSize;
        _keys = new uint[size];
        _values = new object[size];
        _slots = new int[SlotsFor(size)];
        _mask = _slots.Length - 1;
    }

    /// <summary>The number of keys held.</summary>
    public int Count => _count;

    /// <summary>The most keys the table holds.</summary>
    public int Capacity => _capacity;

    /// <summary>The value stored under <paramref name="key"/>, or null if the key is absent.</summary>
    public object? Get(uint key)
    {
        int slot = Find(key);
        return slot < 0 ? null : _values[_slots[slot] - 1];
    }

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    public bool Contains(uint key)
    {
        return Find(key) >= 0;
    }

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/>, replacing any previous value.
    /// Returns false, changing nothing, when the table is full and the key is absent.
    /// </summary>
    public bool Set(uint key, object value)
    {
        if (value == null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        int slot = Home(key);
        while (_slots[slot] != 0)
        {
            int index = _slots[slot] - 1;
            if (_keys[index] == key)
            {
                _values[index] = value;
                return true;
            }

            slot = (slot + 1) & _mask;
        }

        if (_count == _capacity)
        {
            return false;
        }

        if (_count == _keys.Length)
        {
            Grow();
            slot = Home(key);
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }
        }

        _keys[_count] = key;
        _values[_count] = value;
        _count++;
        _slots[slot] = _count;
        return true;
    }

    /// <summary>
    /// Removes <paramref name="key"/>; returns whether it was present. The last entry moves into the freed
    /// dense position, so positions seen through <see cref="KeyAt"/> change.
    /// </summary>
    public bool Remove(uint key)
    {
        int slot = Find(key);
        if (slot < 0)
        {
            return false;
        }

        int index = _slots[slot] - 1;
        int last = _count - 1;
        if (index != last)
        {
            // Point the slot of the last entry at the hole, then move the entry there.
            int lastSlot = Find(_keys[last]);
            _slots[lastSlot] = index + 1;
            _keys[index] = _keys[last];
            _values[index] = _values[last];
        }

        _values[last] = null!;
        _keys[last] = 0;
        _count = last;
        DeleteSlot(slot);
        return true;
    }

    /// <summary>Removes every key.</summary>
    public void Clear()
    {
        Array.Clear(_slots, 0, _slots.Length);
        Array.Clear(_values, 0, _count);
        Array.Clear(_keys, 0, _count);
        _count = 0;
    }

    /// <summary>The key at dense position <paramref name="index"/> (0 to <see cref="Count"/> − 1).</summary>
    public uint KeyAt(int index)
    {
        CheckIndex(index);
        return _keys[index];
    }

    /// <summary>The value at dense position <paramref name="index"/> (0 to <see cref="Count"/> − 1).</summary>
    public object ValueAt(int index)
    {
        CheckIndex(index);
        return _values[index];
    }

    private static int SlotsFor(int size)
    {
        int slots = 2;
        while (slots < size * 2)
        {
            slots <<= 1;
        }

        return slots;
    }

    private void Grow()
    {
        int size = _keys.Length * 2 < _capacity ? _keys.Length * 2 : _capacity;
        var keys = new uint[size];
        var values = new object[size];
        Array.Copy(_keys, keys, _count);
        Array.Copy(_values, values, _count);
        _keys = keys;
        _values = values;
        _slots = new int[SlotsFor(size)];
        _mask = _slots.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            int slot = Home(_keys[i]);
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = i + 1;
        }
    }

    private void CheckIndex(int index)
    {
        if (index < 0 || index >= _count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    // Multiplicative (Fibonacci) hashing, Knuth, TAOCP vol. 3, 6.4: multiply by 2^32/φ, then fold the high half into
    // the low bits the mask keeps, so keys that differ only in high bits (node ids) or are consecutive (sequence
    // numbers) still spread over the slots.
    private int Home(uint key)
    {
        uint mixed = unchecked(key * 0x9E3779B1u);
        return (int)((mixed ^ (mixed >> 16)) & (uint)_mask);
    }

    private int Find(uint key)
    {
        int slot = Home(key);
        while (_slots[slot] != 0)
        {
            if (_keys[_slots[slot] - 1] == key)
            {
                return slot;
            }

            slot = (slot + 1) & _mask;
        }

        return -1;
    }

    // Backward-shift deletion for linear probing (Knuth, TAOCP vol. 3, 6.4, Algorithm R): no tombstones, so
    // lookups never slow down after many removals.
    private void DeleteSlot(int hole)
    {
        _slots[hole] = 0;
        int slot = (hole + 1) & _mask;
        while (_slots[slot] != 0)
        {
            int home = Home(_keys[_slots[slot] - 1]);

            // Move the entry back into the hole unless its home lies cyclically in (hole, slot].
            bool homeBetween = hole <= slot ? (home > hole && home <= slot) : (home > hole || home <= slot);
            if (!homeBetween)
            {
                _slots[hole] = _slots[slot];
                _slots[slot] = 0;
                hole = slot;
            }

            slot = (slot + 1) & _mask;
        }
    }
}
