using System.Numerics;

namespace MeshMessenger.Anchoring.Rpc;

/// <summary>The fields of eth_getBlockByNumber the anchorer uses.</summary>
public sealed record BlockHeader(BigInteger Number, string Hash, BigInteger? BaseFeePerGas);
