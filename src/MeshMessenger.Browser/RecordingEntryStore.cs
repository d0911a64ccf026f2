using System.Collections.Generic;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Browser;

/// <summary>
/// The node's entries in memory, noting each entry newly held so the page can persist it (IndexedDB) with
/// <see cref="TakeNew"/>; entries loaded back from that storage are put without being noted again.
/// </summary>
internal sealed class RecordingEntryStore : IEntryStore
{
    // A browser holds every chain it syncs: caps far above a device's (storage grows only as entries arrive).
    private readonly MemoryEntryStore _inner = new(65536, 1 << 20);
    private readonly List<StoredEntry> _new = [];

    /// <inheritdoc />
    public int Count => _inner.Count;

    /// <inheritdoc />
    public StoredEntry? Get(uint author, uint sequence) => _inner.Get(author, sequence);

    /// <inheritdoc />
    public void Put(StoredEntry stored)
    {
        if (_inner.Get(stored.Entry.Author, stored.Entry.Sequence) is null)
        {
            _new.Add(stored);
        }

        _inner.Put(stored);
    }

    /// <summary>Puts an entry that is already persisted (loaded at open), without noting it as new.</summary>
    public void Load(StoredEntry stored) => _inner.Put(stored);

    /// <inheritdoc />
    public bool TryGetRange(uint author, out uint low, out uint high) => _inner.TryGetRange(author, out low, out high);

    /// <inheritdoc />
    public uint[] Authors() => _inner.Authors();

    /// <summary>The entries newly held since the last call, oldest first; empties the list.</summary>
    public IReadOnlyList<StoredEntry> TakeNew()
    {
        StoredEntry[] taken = [.. _new];
        _new.Clear();
        return taken;
    }
}
