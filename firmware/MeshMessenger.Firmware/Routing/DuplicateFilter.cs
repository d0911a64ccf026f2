using MeshMessenger.Protocol.Collections;

namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// Remembers the last <see cref="Capacity"/> packet keys, oldest forgotten first (Meshtastic's
/// PacketHistory keeps about 200). Replays of entries older than this are still caught by the chain
/// store; this table only stops a relay from repeating a frame. Memory is fixed at construction: hearing a
/// new key when full forgets the oldest.
/// </summary>
public sealed class DuplicateFilter
{
    private readonly long[] _ring;
    // 64-bit keys folded to the table's 32-bit keys; keys that fold alike share a short chain.
    private readonly KeyedTable _counts;
    private int _next;
    private int _filled;

    /// <summary>Creates a filter.</summary>
    public DuplicateFilter(int capacity)
    {
        _ring = new long[capacity];
        _counts = new KeyedTable(capacity);
    }

    /// <summary>Keys remembered.</summary>
    public int Capacity => _ring.Length;

    /// <summary>How many times the key has been heard (0 = new), counting this time.</summary>
    public int Hear(long key)
    {
        Heard? heard = Find(key);
        if (heard != null)
        {
            heard.Count++;
            return heard.Count - 1;
        }

        if (_filled == _ring.Length)
        {
            Forget(_ring[_next]);
        }
        else
        {
            _filled++;
        }

        _ring[_next] = key;
        _next = (_next + 1) % _ring.Length;
        uint folded = Fold(key);
        var added = new Heard(key, (Heard?)_counts.Get(folded));
        _counts.Set(folded, added); // never refused: at most Capacity distinct folds are held
        return 0;
    }

    /// <summary>True if the key is remembered.</summary>
    public bool Contains(long key)
    {
        return Find(key) != null;
    }

    /// <summary>
    /// Forgets a key heard, so its next copy counts as new: the copy heard was not the frame its key names (an entry
    /// refused as malformed or forged). Its ring slot is reused in turn, so a later copy under the same key may be
    /// forgotten up to <see cref="Capacity"/> keys early.
    /// </summary>
    public void Unhear(long key)
    {
        Forget(key);
    }

    /// <summary>The key's first copy named a next hop other than this node, so this node did not relay it.</summary>
    public void MarkDirected(long key)
    {
        Heard? heard = Find(key);
        if (heard != null)
        {
            heard.Directed = true;
        }
    }

    /// <summary>
    /// True, once, if the key was marked directed: a flooded copy heard now is the fallback of a directed delivery that
    /// failed (Meshtastic's PacketHistory keeps the next hop for this, NextHopRouter.cpp:82-89 at 77540685).
    /// </summary>
    public bool TakeDirected(long key)
    {
        Heard? heard = Find(key);
        if (heard == null || !heard.Directed)
        {
            return false;
        }

        heard.Directed = false;
        return true;
    }

    private static uint Fold(long key)
    {
        return unchecked((uint)key ^ (uint)(key >> 32));
    }

    private Heard? Find(long key)
    {
        var heard = (Heard?)_counts.Get(Fold(key));
        while (heard != null && heard.Key != key)
        {
            heard = heard.Next;
        }

        return heard;
    }

    private void Forget(long key)
    {
        uint folded = Fold(key);
        var head = (Heard?)_counts.Get(folded);
        if (head == null)
        {
            return;
        }

        if (head.Key == key)
        {
            if (head.Next == null)
            {
                _counts.Remove(folded);
            }
            else
            {
                _counts.Set(folded, head.Next);
            }

            return;
        }

        Heard previous = head;
        while (previous.Next != null && previous.Next.Key != key)
        {
            previous = previous.Next;
        }

        if (previous.Next != null)
        {
            previous.Next = previous.Next.Next;
        }
    }

    private sealed class Heard
    {
        public Heard(long key, Heard? next)
        {
            Key = key;
            Count = 1;
            Next = next;
        }

        public long Key { get; }

        public int Count { get; set; }

        public bool Directed { get; set; }

        public Heard? Next { get; set; }
    }
}
