using System.Numerics;

namespace MeshMessenger.Anchoring.Batches;

/// <summary>One batch as the store keeps it.</summary>
public sealed record AnchorBatch(long Id, byte[] Root, int LeafCount, AnchorState State, BigInteger? Nonce, string? TransactionHash, long? BlockNumber, string? BlockHash, long? GasUsed, string? Receipt);
