namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// Where verified entries live: flash on a board, memory in the emulator, SQLite in the gateway.
/// Holds, per author, any set of verified entries (a recipient holds the entries addressed to it, which
/// need not be consecutive); <see cref="ChainStore"/> decides what may enter and checks every link
/// between neighbouring sequence numbers it holds.
/// </summary>
public interface IEntryStore
{
    /// <summary>The entry at (author, sequence), or null.</summary>
    StoredEntry? Get(uint author, uint sequence);

    /// <summary>Stores a verified entry.</summary>
    void Put(StoredEntry stored);

    /// <summary>The lowest and highest sequence held of the author, if any entry of theirs is held.</summary>
    bool TryGetRange(uint author, out uint low, out uint high);

    /// <summary>Every author with at least one entry held.</summary>
    uint[] Authors();

    /// <summary>Number of entries held.</summary>
    int Count { get; }
}
