using System.Numerics;

namespace MeshMessenger.Anchoring.Rpc;

/// <summary>The fields of eth_getTransactionReceipt the anchorer uses.</summary>
public sealed record TransactionReceipt(string TransactionHash, bool Succeeded, BigInteger BlockNumber, string BlockHash, BigInteger GasUsed, BigInteger EffectiveGasPrice, string Json);
