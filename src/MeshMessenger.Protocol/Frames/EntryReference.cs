using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Frames;

/// <summary>
/// The payload that names one entry: <c>author (4, big-endian) ‖ sequence (varint)</c>, nothing after it. Carried by
/// an <see cref="FrameType.Ack"/> (docs/protocol.md §5.1.1) and a <see cref="FrameType.ReceiptRequest"/> (§7.1).
/// </summary>
public sealed class EntryReference
{
    /// <summary>Names entry <paramref name="sequence"/> of <paramref name="author"/>'s chain.</summary>
    public EntryReference(uint author, uint sequence)
    {
        Author = author;
        Sequence = sequence;
    }

    /// <summary>The node id of the entry's author.</summary>
    public uint Author { get; }

    /// <summary>The entry's sequence number in its author's chain.</summary>
    public uint Sequence { get; }

    /// <summary>The payload bytes.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(4 + 5); // the id and the longest varint of a uint
        writer.WriteUInt32(Author);
        writer.WriteVarint(Sequence);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads a payload from untrusted bytes: input ending inside the author or the sequence is <see cref="ProtocolError.Truncated"/>,
    /// a byte after the sequence <see cref="ProtocolError.TrailingBytes"/>. Never throws.
    /// </summary>
    public static ProtocolError TryDecode(byte[] payload, out EntryReference? reference)
    {
        reference = null;
        var reader = new ByteReader(payload, 0, payload.Length);
        uint author;
        uint sequence;
        if (!reader.TryReadUInt32(out author) || !reader.TryReadVarint(out sequence))
        {
            return ProtocolError.Truncated;
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        reference = new EntryReference(author, sequence);
        return ProtocolError.None;
    }
}
