// expect: none
using System;
using System.Collections;

namespace F;

public interface IRadio
{
    bool TrySend(byte[] frame, int offset, int count);
}

public enum LinkState
{
    Down,
    Up,
}

public struct Reading
{
    public int Rssi;
    public int Snr;
}

public delegate void FrameHandler(byte[] frame, int count);

public sealed class NodeSketch : IRadio
{
    public const int MaxFrame = 255;

    private readonly ArrayList _pending = new ArrayList();
    private readonly object[] _seen = new object[8];
    private readonly byte[][] _slots = new byte[4][];
    private string? _name;

    public LinkState State { get; private set; }

    public event FrameHandler? Received;

    public bool TrySend(byte[] frame, int offset, int count)
    {
        if (count > MaxFrame)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _pending.Add(frame);
        _seen[count & 7] = offset;
        _slots[0] = frame;
        Received?.Invoke(frame, count);
        return true;
    }

    public static bool TryRead(byte[] data, out Reading reading, ref int position)
    {
        reading = new Reading { Rssi = -data[position], Snr = data[position + 1] };
        position += 2;
        return reading.Rssi < 0;
    }

    public string Describe() => State switch
    {
        LinkState.Up => $"up as {_name ?? "unnamed"}",
        _ => "down",
    };

    public void Rename(string? name)
    {
        Action rename = () => _name = name;
        rename();
        foreach (object item in _pending)
        {
            if (item is byte[] { Length: > 0 } bytes && bytes[0] == 1)
            {
                State = LinkState.Up;
            }
        }

        try
        {
            lock (_seen)
            {
                Array.Clear(_seen, 0, _seen.Length);
            }
        }
        finally
        {
            Array.Clear(_slots, 0, _slots.Length);
        }
    }
}
