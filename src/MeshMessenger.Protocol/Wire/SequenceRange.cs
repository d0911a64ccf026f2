namespace MeshMessenger.Protocol.Wire;

/// <summary>An inclusive run of one author's sequence numbers.</summary>
public sealed class SequenceRange
{
    /// <summary>Creates [from, to].</summary>
    public SequenceRange(uint author, uint from, uint to)
    {
        Author = author;
        From = from;
        To = to;
    }

    /// <summary>Whose chain.</summary>
    public uint Author { get; }

    /// <summary>First sequence number.</summary>
    public uint From { get; }

    /// <summary>Last sequence number (≥ <see cref="From"/>).</summary>
    public uint To { get; }

    /// <summary>Number of entries.</summary>
    public long Length => (long)To - From + 1;

    /// <summary>Writes from and to as varints (the author is written, if at all, by the caller).</summary>
    public void WriteBounds(ByteWriter writer)
    {
        writer.WriteVarint(From);
        writer.WriteVarint(To);
    }

    /// <summary>
    /// Reads "count (1 byte, 1..max) then count ranges" from untrusted bytes; each range is an optional
    /// 4-byte author (when <paramref name="withAuthor"/>, else <paramref name="author"/>), then from and to
    /// varints, to ≥ from, at most <paramref name="maxLength"/> entries. Never throws.
    /// </summary>
    public static ProtocolError TryReadList(ByteReader reader, int max, bool withAuthor, uint author, long maxLength, out SequenceRange[]? ranges)
    {
        ranges = null;
        int count = reader.ReadByte();
        if (count < 0)
        {
            return ProtocolError.Truncated;
        }

        return TryReadRanges(reader, count, max, withAuthor, author, maxLength, out ranges);
    }

    /// <summary>
    /// As <see cref="TryReadList"/> after its count byte: <paramref name="count"/> (1..max, else InvalidField) ranges,
    /// then the end of the input. For payloads whose count byte also carries flags (docs/protocol.md §8.2).
    /// </summary>
    public static ProtocolError TryReadRanges(ByteReader reader, int count, int max, bool withAuthor, uint author, long maxLength, out SequenceRange[]? ranges)
    {
        ranges = null;
        if (count < 1 || count > max)
        {
            return ProtocolError.InvalidField;
        }

        var result = new SequenceRange[count];
        for (int i = 0; i < count; i++)
        {
            uint from;
            uint to;
            if ((withAuthor && !reader.TryReadUInt32(out author)) || !reader.TryReadVarint(out from) || !reader.TryReadVarint(out to))
            {
                return ProtocolError.Truncated;
            }

            if (to < from || (long)to - from >= maxLength)
            {
                return ProtocolError.InvalidField;
            }

            result[i] = new SequenceRange(author, from, to);
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        ranges = result;
        return ProtocolError.None;
    }

    /// <summary>True if the range holds <paramref name="sequence"/>.</summary>
    public bool Contains(uint sequence)
    {
        return sequence >= From && sequence <= To;
    }
}
