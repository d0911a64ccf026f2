using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Merkle;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Anchoring.Tests;

public sealed class BatchBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batches-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_batch_closes_by_size_or_by_age_and_keeps_only_each_authors_latest_head()
    {
        var store = new AnchorStore(Path.Combine(_dir, "a.db"));
        var builder = new BatchBuilder(store) { MaxLeaves = 3, MaxAge = TimeSpan.FromMinutes(10) };
        DateTimeOffset t0 = DateTimeOffset.UnixEpoch;
        Assert.Null(builder.Add(Leaf(1, 4), t0));
        Assert.Null(builder.Add(Leaf(1, 9), t0)); // the same author again: replaces, does not add
        Assert.Null(builder.Add(Leaf(2, 1), t0));
        Assert.Null(builder.Tick(t0.AddMinutes(9)));
        long? byAge = builder.Tick(t0.AddMinutes(10));
        Assert.NotNull(byAge);
        List<byte[]> leaves = store.Leaves(byAge.Value);
        Assert.Equal([Leaf(1, 9).Encode(0, 2), Leaf(2, 1).Encode(1, 2)], leaves); // each leaf names its index and the batch size
        Assert.Equal(MerkleTree.Root(leaves), store.Batch(byAge.Value).Root);

        builder.Add(Leaf(3, 0), t0);
        builder.Add(Leaf(4, 0), t0);
        long? bySize = builder.Add(Leaf(5, 0), t0);
        Assert.NotNull(bySize);
        Assert.Equal(3, store.Batch(bySize.Value).LeafCount);
        Assert.Equal(0, builder.Count);
    }

    private static CheckpointLeaf Leaf(uint author, uint seq) => new(author, seq, System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(author * 1000 + seq)));
}
