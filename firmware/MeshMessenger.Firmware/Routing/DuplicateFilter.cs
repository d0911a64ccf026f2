using System.Collections;

namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// Remembers the last <see cref="Capacity"/> packet keys, oldest forgotten first (Meshtastic's
/// PacketHistory keeps about 200). Replays of entries older than this are still caught by the chain
/// store; this table only stops a relay from repeating a frame.
/// </summary>
public sealed class DuplicateFilter
{
    private readonly long[] _ring;
    private readonly Hashtable _counts = new Hashtable();
    private int _next;
    private int _filled;

    /// <summary>Creates a filter.</summary>
    public DuplicateFilter(int capacity)
    {
        _ring = new long[capacity];
    }

    /// <summary>Keys remembered.</summary>
    public int Capacity => _ring.Length;

    /// <summary>How many times the key has been heard (0 = new), counting this time.</summary>
    public int Hear(long key)
    {
        object? count = _counts[key];
        if (count != null)
        {
            int n = (int)count + 1;
            _counts[key] = n;
            return n - 1;
        }

        if (_filled == _ring.Length)
        {
            _counts.Remove(_ring[_next]);
        }
        else
        {
            _filled++;
        }

        _ring[_next] = key;
        _next = (_next + 1) % _ring.Length;
        _counts[key] = 1;
        return 0;
    }

    /// <summary>True if the key is remembered.</summary>
    public bool Contains(long key)
    {
        return _counts[key] != null;
    }
}
