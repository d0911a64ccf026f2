namespace MeshMessenger.Anchoring.Rpc;

/// <summary>A transaction as a node reports it (eth_getTransactionByHash): hash, sender, recipient (null for a contract creation) and calldata.</summary>
public sealed record ChainTransaction(string Hash, string From, string? To, byte[] Input);
