using MeshMessenger.Anchoring.Merkle;

namespace MeshMessenger.Anchoring.Batches;

/// <summary>
/// Collects checkpoint leaves and closes a batch when it reaches <see cref="MaxLeaves"/> or when its oldest
/// leaf has waited <see cref="MaxAge"/> (default 10 minutes), whichever comes first. Only the latest head of
/// each author counts within a batch: it proves every earlier entry of that chain anyway.
/// </summary>
public sealed class BatchBuilder(AnchorStore store)
{
    private readonly Dictionary<uint, CheckpointLeaf> _open = [];
    private DateTimeOffset? _openedAt;

    /// <summary>Leaves that close a batch at once.</summary>
    public int MaxLeaves { get; init; } = 4096;

    /// <summary>How long the first leaf of a batch may wait.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Leaves waiting.</summary>
    public int Count => _open.Count;

    /// <summary>Adds an author's head; a later head of the same author replaces an earlier one. Returns the batch id if this closed one.</summary>
    public long? Add(CheckpointLeaf leaf, DateTimeOffset now)
    {
        if (!_open.TryGetValue(leaf.Author, out CheckpointLeaf? held) || held.Sequence < leaf.Sequence)
        {
            _open[leaf.Author] = leaf;
        }

        _openedAt ??= now;
        return _open.Count >= MaxLeaves ? Close() : null;
    }

    /// <summary>Closes the batch if it is old enough; returns its id.</summary>
    public long? Tick(DateTimeOffset now) => _openedAt is { } opened && now - opened >= MaxAge && _open.Count > 0 ? Close() : null;

    private long Close()
    {
        List<byte[]> leaves = CheckpointLeaf.Leaves([.. _open.Values.OrderBy(l => l.Author)]);
        _open.Clear();
        _openedAt = null;
        return store.AddBatch(leaves);
    }
}
