namespace MeshMessenger.Protocol.Chain;

/// <summary>A verified entry with its hash, as kept by an <see cref="IEntryStore"/>.</summary>
public sealed class StoredEntry
{
    /// <summary>Pairs an entry with its hash.</summary>
    public StoredEntry(Entry entry, byte[] hash)
    {
        Entry = entry;
        Hash = hash;
    }

    /// <summary>The entry.</summary>
    public Entry Entry { get; }

    /// <summary>Its <see cref="EntryHash"/>.</summary>
    public byte[] Hash { get; }
}
