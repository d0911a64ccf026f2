using System.Text.Json;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Merkle;
using MeshMessenger.Protocol.Anchors;

namespace MeshMessenger.Anchoring.Proofs;

/// <summary>
/// Everything needed to check, against any Ethereum node and without the gateway, that a checkpoint leaf
/// was anchored: the leaf, its Merkle path and root, and the transaction (raw bytes, hash, block) that
/// carries the root. <see cref="Version"/> is the anchor format (<see cref="AnchorLeaf.FormatVersion"/>): the leaf
/// is an <see cref="AnchorLeaf"/>, which names its own index and tree size.
/// </summary>
public sealed record ProofBundle(
    int Version,
    string Leaf,
    int LeafIndex,
    int TreeSize,
    List<string> Path,
    string Root,
    string TransactionHash,
    long BlockNumber,
    string BlockHash,
    string RawTransaction,
    string Receipt)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The bundle for leaf <paramref name="leafIndex"/> of an included or final batch.</summary>
    public static ProofBundle For(AnchorStore store, long batchId, int leafIndex)
    {
        AnchorBatch batch = store.Batch(batchId);
        if (batch.State < AnchorState.Included)
        {
            throw new InvalidOperationException($"batch {batchId} is {batch.State}: not in a block yet");
        }

        List<byte[]> leaves = store.Leaves(batchId);
        InclusionProof proof = MerkleTree.Prove(leafIndex, leaves);
        AnchorAttempt attempt = store.Attempts(batchId).Single(a => a.TransactionHash == batch.TransactionHash);
        return new ProofBundle(
            leaves[leafIndex].Length == AnchorLeaf.Size ? AnchorLeaf.FormatVersion : 1, // a store may hold batches anchored in format 1 (40-byte leaves)
            Convert.ToHexStringLower(leaves[leafIndex]),
            leafIndex,
            leaves.Count,
            proof.Path.Select(Convert.ToHexStringLower).ToList(),
            Convert.ToHexStringLower(batch.Root),
            batch.TransactionHash!,
            batch.BlockNumber!.Value,
            batch.BlockHash!,
            Convert.ToHexStringLower(attempt.Raw),
            batch.Receipt!);
    }

    /// <summary>As JSON, for a file or the HTTP API.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a bundle; null if the text is not one.</summary>
    public static ProofBundle? FromJson(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<ProofBundle>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
