using System.Numerics;

namespace MeshMessenger.Anchoring.Batches;

/// <summary>One signed transaction for a batch; replacements share the nonce, so at most one is ever mined.</summary>
public sealed record AnchorAttempt(long BatchId, string TransactionHash, byte[] Raw, BigInteger MaxPriorityFeePerGas, BigInteger MaxFeePerGas, BigInteger Gas, long SentAtMs);
