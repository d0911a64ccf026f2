namespace MeshMessenger.Wallet.Chains;

/// <summary>One unspent output: its outpoint (txid in display order), value in base units and confirmations (0 = mempool).</summary>
public sealed record UnspentOutput(byte[] TransactionId, uint OutputIndex, ulong Value, uint Confirmations);
