using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sync;

/// <summary>
/// A <see cref="Frames.FrameType.Want"/> payload: ranges of entries the sender lacks, asked of one
/// neighbour at once rather than entry by entry (docs/protocol.md §8.2).
/// <code>
/// count   1   bits 0..4: 1..16; bits 5, 6: 0; bit 7: readable by the asker only
/// ranges  count × (author 4, from varint, to varint), to ≥ from, at most 64 entries each
/// </code>
/// </summary>
public sealed class WantMessage
{
    /// <summary>Most ranges per message.</summary>
    public const int MaxRanges = 16;

    /// <summary>Most entries one range may ask for; larger needs are split.</summary>
    public const int MaxRangeLength = 64;

    /// <summary>Count byte flag: answer only entries the asker can read (<see cref="Serves"/>).</summary>
    public const int ReadableOnlyFlag = 0x80;

    // Bits of the count byte that hold the count (1..16 needs five); bits 5 and 6 are reserved.
    private const int CountMask = 0x1F;

    /// <summary>Creates a want for every entry of its ranges.</summary>
    public WantMessage(SequenceRange[] ranges)
        : this(ranges, false)
    {
    }

    /// <summary>Creates a want; <paramref name="readableOnly"/> asks only for entries the asker can read.</summary>
    public WantMessage(SequenceRange[] ranges, bool readableOnly)
    {
        Ranges = ranges;
        ReadableOnly = readableOnly;
    }

    /// <summary>The ranges wanted.</summary>
    public SequenceRange[] Ranges { get; }

    /// <summary>
    /// True if the asker wants only entries it can read: a restoring device, which has no use for other pairs'
    /// direct messages and would spend the answerer's duty cycle on them (docs/protocol.md §8.2).
    /// </summary>
    public bool ReadableOnly { get; }

    /// <summary>Encodes the payload.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(1 + Ranges.Length * (4 + 2 * Varint.MaxSize));
        writer.WriteByte(Ranges.Length | (ReadableOnly ? ReadableOnlyFlag : 0));
        for (int i = 0; i < Ranges.Length; i++)
        {
            writer.WriteUInt32(Ranges[i].Author);
            Ranges[i].WriteBounds(writer);
        }

        return writer.ToArray();
    }

    /// <summary>
    /// True if an answer to this want, asked by the node with hint <paramref name="askerHint"/> (a hop-0 want's
    /// source hint), includes <paramref name="entry"/>: always without the flag; with it, an entry that is not
    /// direct-sealed (profiles, channel posts, public posts) or a direct entry to the asker's hint. The one filter
    /// every answerer applies (docs/protocol.md §8.2); the answer's entry limit counts only entries sent.
    /// </summary>
    public bool Serves(Entry entry, byte askerHint)
    {
        return !ReadableOnly || entry.Sealing != BodySealing.Direct || entry.Hint == askerHint;
    }

    /// <summary>Decodes a payload from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] payload, out WantMessage? message)
    {
        message = null;
        var reader = new ByteReader(payload, 0, payload.Length);
        int first = reader.ReadByte();
        if (first < 0)
        {
            return ProtocolError.Truncated;
        }

        if ((first & ~(CountMask | ReadableOnlyFlag)) != 0)
        {
            return ProtocolError.InvalidField; // a reserved bit
        }

        SequenceRange[]? ranges;
        ProtocolError error = SequenceRange.TryReadRanges(reader, first & CountMask, MaxRanges, true, 0, MaxRangeLength, out ranges);
        if (error == ProtocolError.None)
        {
            message = new WantMessage(ranges!, (first & ReadableOnlyFlag) != 0);
        }

        return error;
    }
}
