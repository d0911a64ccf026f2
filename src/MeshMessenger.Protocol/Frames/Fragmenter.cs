using System;

namespace MeshMessenger.Protocol.Frames;

/// <summary>Turns an encoded entry into the frames that carry it on a link.</summary>
public static class Fragmenter
{
    /// <summary>
    /// One <see cref="FrameType.Entry"/> frame if the entry fits, else <see cref="FrameType.Fragment"/>
    /// frames of near-equal size (so the last one is not a wasteful sliver of airtime). The split is the one
    /// of docs/protocol.md §5.2, for an entry of L bytes and room = maxFrameSize − 4 − 6:
    /// count = ⌈L / room⌉, size = ⌈L / count⌉, piece i = bytes [i·size, min(L, (i+1)·size)); every piece but
    /// the last is exactly size bytes (982 bytes on LoRa: 197, 197, 197, 197, 194).
    /// </summary>
    public static Frame[] Split(byte[] entry, int maxFrameSize, int hopLimit, bool wantAck, byte relay)
    {
        int single = maxFrameSize - FrameLimits.HeaderSize;
        if (entry.Length <= single)
        {
            return new[] { new Frame(FrameType.Entry, hopLimit, hopLimit, wantAck, 0, relay, entry) };
        }

        int room = single - Fragment.HeaderSize;
        int count = (entry.Length + room - 1) / room;
        if (count > Fragment.MaxCount)
        {
            throw new ProtocolException(ProtocolError.TooLarge, "an entry of " + entry.Length + " bytes needs " + count + " fragments; the limit is " + Fragment.MaxCount);
        }

        uint id = Fragment.MessageIdOf(entry);
        int size = (entry.Length + count - 1) / count;
        var frames = new Frame[count];
        for (int i = 0; i < count; i++)
        {
            int start = i * size;
            int length = entry.Length - start < size ? entry.Length - start : size;
            var data = new byte[length];
            Array.Copy(entry, start, data, 0, length);
            frames[i] = new Frame(FrameType.Fragment, hopLimit, hopLimit, wantAck, 0, relay, new Fragment(id, i, count, data).Encode());
        }

        return frames;
    }
}
