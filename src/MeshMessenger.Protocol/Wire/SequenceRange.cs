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

    /// <summary>True if the range holds <paramref name="sequence"/>.</summary>
    public bool Contains(uint sequence)
    {
        return sequence >= From && sequence <= To;
    }
}
