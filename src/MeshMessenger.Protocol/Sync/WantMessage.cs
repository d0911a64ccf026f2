using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sync;

/// <summary>
/// A <see cref="Frames.FrameType.Want"/> payload: ranges of entries the sender lacks, asked of one
/// neighbour at once rather than entry by entry.
/// <code>
/// count   1   1..16
/// ranges  count × (author 4, from varint, to varint), to ≥ from, at most 64 entries each
/// </code>
/// </summary>
public sealed class WantMessage
{
    /// <summary>Most ranges per message.</summary>
    public const int MaxRanges = 16;

    /// <summary>Most entries one range may ask for; larger needs are split.</summary>
    public const int MaxRangeLength = 64;

    /// <summary>Creates a want message.</summary>
    public WantMessage(SequenceRange[] ranges)
    {
        Ranges = ranges;
    }

    /// <summary>The ranges wanted.</summary>
    public SequenceRange[] Ranges { get; }

    /// <summary>Encodes the payload.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(1 + Ranges.Length * (4 + 2 * Varint.MaxSize));
        writer.WriteByte(Ranges.Length);
        for (int i = 0; i < Ranges.Length; i++)
        {
            writer.WriteUInt32(Ranges[i].Author);
            Ranges[i].WriteBounds(writer);
        }

        return writer.ToArray();
    }

    /// <summary>Decodes a payload from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] payload, out WantMessage? message)
    {
        message = null;
        SequenceRange[]? ranges;
        ProtocolError error = SequenceRange.TryReadList(new ByteReader(payload, 0, payload.Length), MaxRanges, true, 0, MaxRangeLength, out ranges);
        if (error == ProtocolError.None)
        {
            message = new WantMessage(ranges!);
        }

        return error;
    }
}
