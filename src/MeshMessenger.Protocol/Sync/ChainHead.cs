namespace MeshMessenger.Protocol.Sync;

/// <summary>What a node holds of one author's chain: the run [Low, High] and the link of its last entry.</summary>
public sealed class ChainHead
{
    /// <summary>Creates a head.</summary>
    public ChainHead(uint author, uint low, uint high, byte[] headLink)
    {
        Author = author;
        Low = low;
        High = high;
        HeadLink = headLink;
    }

    /// <summary>Whose chain.</summary>
    public uint Author { get; }

    /// <summary>Lowest sequence held.</summary>
    public uint Low { get; }

    /// <summary>Highest sequence held.</summary>
    public uint High { get; }

    /// <summary>First 8 bytes of the hash of entry <see cref="High"/>, so peers spot a forked head at once.</summary>
    public byte[] HeadLink { get; }
}
