namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// Where verified entries live: flash on a board, memory in the emulator, SQLite in the gateway.
/// Holds, per author, one contiguous run of sequence numbers [low, high]; <see cref="ChainStore"/>
/// decides what may enter and keeps the run contiguous.
/// </summary>
public interface IEntryStore
{
    /// <summary>The entry at (author, sequence), or null.</summary>
    StoredEntry? Get(uint author, uint sequence);

    /// <summary>Stores a verified entry that extends the author's run at either end (or starts it).</summary>
    void Put(StoredEntry stored);

    /// <summary>The author's run, if any entry of theirs is held.</summary>
    bool TryGetRange(uint author, out uint low, out uint high);

    /// <summary>Every author with at least one entry held.</summary>
    uint[] Authors();

    /// <summary>Number of entries held.</summary>
    int Count { get; }
}
