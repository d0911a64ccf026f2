using System;
using MeshMessenger.Device.Platform;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Device.Storage;

/// <summary>
/// An <see cref="IEntryStore"/> on flash: an append-only log of <see cref="FlashRecord"/>s with a sorted in-RAM index
/// of (author, sequence) → file position. Entries stay on flash; RAM holds 12 bytes per entry in fixed arrays.
/// <para>
/// Two files, <c>NAME.a</c> and <c>NAME.b</c>; the live one starts with a header record (generation g) followed by a
/// sealed record (g): a file counts only when both are intact. Reopening scans the live file and stops at the first
/// record that is not intact (a torn write); if anything follows it, the store compacts at once, so no append ever
/// lands after garbage. Compaction copies the indexed records into the other file under generation g+1, seals it, and
/// only then deletes the old one: power lost before the seal leaves the old file in charge, after it the new one.
/// </para>
/// <para>
/// Cap: <see cref="Capacity"/> entries (the constructor's, <see cref="DefaultCapacity"/> by default). At the cap a new
/// (author, sequence) makes room: the lowest sequence of the author holding the most entries leaves the index (its
/// bytes become dead and go at the next compaction), counted in <see cref="EvictedAtCapacity"/>. Refusing instead
/// would stop a full device from storing its own new entries, and a head it no longer stores is a sequence number it
/// could reuse after a restart. Reopening replays the log through the same rule, so it rebuilds the same index.
/// </para>
/// </summary>
public sealed class FlashEntryStore : IEntryStore
{
    /// <summary>Default cap: 2,048 entries, 24 KB of index (two arrays of 8- and 4-byte slots).</summary>
    public const int DefaultCapacity = 2048;

    /// <summary>The log compacts itself once it is at least this long and over half of it is dead (replaced or torn) bytes.</summary>
    public const int CompactionThresholdBytes = 65536;

    internal const byte HeaderType = 1;
    internal const byte EntryType = 2;
    internal const byte SealType = 3;

    private const int HashSize = 32;

    private readonly IFlashStorage _flash;
    private readonly string[] _files;
    private readonly ulong[] _keys;
    private readonly int[] _positions;
    private readonly byte[] _buffer = new byte[FlashRecord.MaxPayload + FlashRecord.Overhead];
    private int _count;
    private int _active;
    private uint _generation;
    private int _length;
    private int _liveBytes;
    private bool _dirtyTail;
    private int _replayDead;
    private readonly byte[] _head = new byte[4];

    /// <summary>Opens (or creates) the store <paramref name="name"/> with the default cap.</summary>
    public FlashEntryStore(IFlashStorage flash, string name)
        : this(flash, name, DefaultCapacity)
    {
    }

    /// <summary>Opens (or creates) the store <paramref name="name"/> holding at most <paramref name="capacity"/> entries.</summary>
    public FlashEntryStore(IFlashStorage flash, string name, int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException("capacity");
        }

        _flash = flash;
        _files = new string[] { name + ".a", name + ".b" };
        _keys = new ulong[capacity];
        _positions = new int[capacity];
        Status = Open();
    }

    /// <summary>What opening found.</summary>
    public FlashStoreStatus Status { get; }

    /// <summary>The cap on entries.</summary>
    public int Capacity => _keys.Length;

    /// <inheritdoc />
    public int Count => _count;

    /// <summary>Entries dropped from the index to make room for newer ones (since opening, replay included).</summary>
    public int EvictedAtCapacity { get; private set; }

    /// <summary>Puts whose write failed (storage error); the entry is not held and the next put compacts first.</summary>
    public int WriteFailures { get; private set; }

    /// <summary>Compactions run since opening.</summary>
    public int Compactions { get; private set; }

    /// <summary>The live file's generation.</summary>
    public uint Generation => _generation;

    /// <summary>The live file's name.</summary>
    public string ActiveFile => _files[_active];

    /// <summary>The live file's length in bytes.</summary>
    public int FileLength => _length;

    /// <inheritdoc />
    public StoredEntry? Get(uint author, uint sequence)
    {
        int slot = Find(Key(author, sequence));
        if (slot < 0)
        {
            return null;
        }

        byte type;
        int length = FlashRecord.TryRead(_flash, _files[_active], _positions[slot], _length, _buffer, out type);
        if (length == 0 || type != EntryType)
        {
            return null; // the flash changed under us; report "not held" rather than a wrong entry
        }

        int payload = FlashRecord.PayloadLength(_buffer);
        Entry? entry;
        if (payload <= HashSize || EntryCodec.TryDecode(_buffer, 4 + HashSize, payload - HashSize, out entry) != ProtocolError.None || entry == null)
        {
            return null;
        }

        var hash = new byte[HashSize];
        Array.Copy(_buffer, 4, hash, 0, HashSize);
        return new StoredEntry(entry, hash);
    }

    /// <inheritdoc />
    public void Put(StoredEntry stored)
    {
        ulong key = Key(stored.Entry.Author, stored.Entry.Sequence);
        int slot = Find(key);
        int encodedLength = stored.Entry.Encoded.Length;
        if (stored.Hash.Length != HashSize || HashSize + encodedLength > FlashRecord.MaxPayload)
        {
            return;
        }

        if (slot < 0 && _count == _keys.Length)
        {
            byte evictedType;
            int evictedPosition = EvictOne();
            _liveBytes -= FlashRecord.TryRead(_flash, _files[_active], evictedPosition, _length, _buffer, out evictedType);
        }

        try
        {
            if (_dirtyTail || ShouldCompact())
            {
                Compact();
            }

            Array.Copy(stored.Hash, 0, _buffer, 4, HashSize);
            Array.Copy(stored.Entry.Encoded, 0, _buffer, 4 + HashSize, encodedLength);
            int total = FlashRecord.Seal(_buffer, EntryType, HashSize + encodedLength);
            _flash.Append(_files[_active], _buffer, 0, total);
            int position = _length;
            _length += total;
            if (slot >= 0)
            {
                _positions[slot] = position; // the older copy becomes dead bytes
            }
            else
            {
                Insert(key, position);
                _liveBytes += total;
            }
        }
        catch (Exception)
        {
            // A failed append may have left a prefix on flash; the next put compacts past it first.
            WriteFailures++;
            _dirtyTail = true;
            _length = SafeLength(_files[_active]);
        }
    }

    /// <inheritdoc />
    public bool TryGetRange(uint author, out uint low, out uint high)
    {
        int first = LowerBound(Key(author, 0));
        if (first >= _count || (uint)(_keys[first] >> 32) != author)
        {
            low = 0;
            high = 0;
            return false;
        }

        int last = LowerBound(Key(author, 0xFFFFFFFF));
        if (last >= _count || _keys[last] != Key(author, 0xFFFFFFFF))
        {
            last--;
        }

        low = (uint)_keys[first];
        high = (uint)_keys[last];
        return true;
    }

    /// <inheritdoc />
    public uint[] Authors()
    {
        int distinct = 0;
        for (int i = 0; i < _count; i++)
        {
            if (i == 0 || (_keys[i] >> 32) != (_keys[i - 1] >> 32))
            {
                distinct++;
            }
        }

        var result = new uint[distinct];
        int at = 0;
        for (int i = 0; i < _count; i++)
        {
            if (i == 0 || (_keys[i] >> 32) != (_keys[i - 1] >> 32))
            {
                result[at++] = (uint)(_keys[i] >> 32);
            }
        }

        return result;
    }

    /// <summary>
    /// Rewrites the indexed records into the other file under the next generation, seals it, and switches to it. Power
    /// lost at any byte of this leaves either the old file (new one unsealed) or the new one (sealed) in charge.
    /// </summary>
    public void Compact()
    {
        int target = 1 - _active;
        string targetName = _files[target];
        uint next = _generation + 1;
        _flash.Delete(targetName);
        int length = AppendMarker(targetName, HeaderType, next);
        var positions = new int[_keys.Length];
        var keys = new ulong[_keys.Length];
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            byte type;
            int total = FlashRecord.TryRead(_flash, _files[_active], _positions[i], _length, _buffer, out type);
            if (total == 0 || type != EntryType)
            {
                continue; // unreadable now: dropped, sync will bring it back
            }

            _flash.Append(targetName, _buffer, 0, total);
            keys[kept] = _keys[i];
            positions[kept] = length;
            kept++;
            length += total;
        }

        length += AppendMarker(targetName, SealType, next);

        // Sealed: the new file is in charge from here, whatever happens next.
        _flash.Delete(_files[_active]);
        for (int i = 0; i < kept; i++)
        {
            _keys[i] = keys[i];
            _positions[i] = positions[i];
        }

        _count = kept;
        _active = target;
        _generation = next;
        _length = length;
        _liveBytes = length;
        _dirtyTail = false;
        Compactions++;
    }

    private FlashStoreStatus Open()
    {
        uint genA;
        uint genB;
        int endA;
        int endB;
        bool validA = ReadHead(0, out genA, out endA);
        bool validB = ReadHead(1, out genB, out endB);
        bool existsA = SafeLength(_files[0]) >= 0;
        bool existsB = SafeLength(_files[1]) >= 0;
        if (!validA && !validB)
        {
            _active = 0;
            _generation = 0;
            _flash.Delete(_files[1]);
            _flash.Delete(_files[0]);
            _length = AppendMarker(_files[0], HeaderType, 0);
            _length += AppendMarker(_files[0], SealType, 0);
            _liveBytes = _length;
            return existsA || existsB ? FlashStoreStatus.UnreadableDiscarded : FlashStoreStatus.Created;
        }

        // Both sealed: a compaction finished but had not yet deleted its source; the newer generation wins.
        _active = validA && (!validB || unchecked((int)(genA - genB)) > 0) ? 0 : 1;
        _generation = _active == 0 ? genA : genB;
        int start = _active == 0 ? endA : endB;
        bool otherExisted = _active == 0 ? existsB : existsA;
        bool otherWasUnsealed = _active == 0 ? !validB : !validA;
        _flash.Delete(_files[1 - _active]);

        string name = _files[_active];
        int fileLength = SafeLength(name);
        int position = start;
        while (true)
        {
            byte type;
            int total = FlashRecord.TryRead(_flash, name, position, fileLength, _buffer, out type);
            bool good = total > 0 && (type == SealType ? FlashRecord.GetUInt32(_buffer, 4) == _generation : type == EntryType && IndexRecord(position));
            if (!good)
            {
                break;
            }

            position += total;
        }

        _length = fileLength;
        _liveBytes = position - _replayDead; // replaced and evicted records are dead, as they were before the restart
        if (position < fileLength)
        {
            _length = position;
            try
            {
                Compact(); // rewrite without the torn tail so appends never follow garbage
            }
            catch (Exception)
            {
                _dirtyTail = true; // flash refused the copy: open anyway; the next put tries again before appending
                WriteFailures++;
            }

            return FlashStoreStatus.TornTailDiscarded;
        }

        return otherExisted && otherWasUnsealed ? FlashStoreStatus.UnfinishedCompactionDiscarded : FlashStoreStatus.Intact;
    }

    private bool IndexRecord(int position)
    {
        int payload = FlashRecord.PayloadLength(_buffer);
        Entry? entry;
        if (payload <= HashSize || EntryCodec.TryDecode(_buffer, 4 + HashSize, payload - HashSize, out entry) != ProtocolError.None || entry == null)
        {
            return false; // CRC-intact but not an entry: treat as the end of the good log
        }

        ulong key = Key(entry.Author, entry.Sequence);
        int slot = Find(key);
        if (slot >= 0)
        {
            _replayDead += RecordLength(_positions[slot]);
            _positions[slot] = position;
        }
        else
        {
            if (_count == _keys.Length)
            {
                _replayDead += RecordLength(EvictOne()); // the rule Put applied when this record was written
            }

            Insert(key, position);
        }

        return true;
    }

    // The total length of the (already verified) record at position, from its length field alone.
    private int RecordLength(int position)
    {
        return _flash.Read(_files[_active], position, _head, 0, 4) == 4 ? (_head[2] | (_head[3] << 8)) + FlashRecord.Overhead : 0;
    }

    // Valid when the header and a seal of the same generation are intact; end = just after the header.
    private bool ReadHead(int file, out uint generation, out int end)
    {
        generation = 0;
        end = 0;
        string name = _files[file];
        int fileLength = SafeLength(name);
        if (fileLength < 0)
        {
            return false;
        }

        byte type;
        int header = FlashRecord.TryRead(_flash, name, 0, fileLength, _buffer, out type);
        if (header == 0 || type != HeaderType || FlashRecord.PayloadLength(_buffer) != 4)
        {
            return false;
        }

        generation = FlashRecord.GetUInt32(_buffer, 4);

        // The seal follows the copied records; scan forward to it (records before it were written by the compaction).
        int position = header;
        end = header;
        while (true)
        {
            int total = FlashRecord.TryRead(_flash, name, position, fileLength, _buffer, out type);
            if (total == 0)
            {
                return false;
            }

            position += total;
            if (type == SealType)
            {
                return FlashRecord.PayloadLength(_buffer) == 4 && FlashRecord.GetUInt32(_buffer, 4) == generation;
            }

            if (type != EntryType)
            {
                return false;
            }
        }
    }

    private int AppendMarker(string name, byte type, uint generation)
    {
        FlashRecord.PutUInt32(_buffer, 4, generation);
        int total = FlashRecord.Seal(_buffer, type, 4);
        _flash.Append(name, _buffer, 0, total);
        return total;
    }

    private bool ShouldCompact()
    {
        return _length >= CompactionThresholdBytes && _length - _liveBytes > _length / 2;
    }

    private int SafeLength(string name)
    {
        try
        {
            return _flash.Length(name);
        }
        catch (Exception)
        {
            return -1;
        }
    }

    private static ulong Key(uint author, uint sequence)
    {
        return ((ulong)author << 32) | sequence;
    }

    private int Find(ulong key)
    {
        int at = LowerBound(key);
        return at < _count && _keys[at] == key ? at : -1;
    }

    private int LowerBound(ulong key)
    {
        int low = 0;
        int high = _count;
        while (low < high)
        {
            int mid = (low + high) >> 1;
            if (_keys[mid] < key)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    // Removes the lowest sequence of the author with the most indexed entries (the lowest author id on a tie, so a
    // replay makes the same choice) and returns that record's position. Every author keeps its newest entries.
    private int EvictOne()
    {
        int bestStart = 0;
        int bestRun = 0;
        int start = 0;
        for (int i = 1; i <= _count; i++)
        {
            if (i == _count || (_keys[i] >> 32) != (_keys[start] >> 32))
            {
                if (i - start > bestRun)
                {
                    bestRun = i - start;
                    bestStart = start;
                }

                start = i;
            }
        }

        int position = _positions[bestStart];
        for (int i = bestStart; i < _count - 1; i++)
        {
            _keys[i] = _keys[i + 1];
            _positions[i] = _positions[i + 1];
        }

        _count--;
        EvictedAtCapacity++;
        return position;
    }

    private void Insert(ulong key, int position)
    {
        int at = LowerBound(key);
        for (int i = _count; i > at; i--)
        {
            _keys[i] = _keys[i - 1];
            _positions[i] = _positions[i - 1];
        }

        _keys[at] = key;
        _positions[at] = position;
        _count++;
    }
}
