namespace MeshMessenger.Wallet.Chains;

/// <summary>Where a transaction stands: its stage, the block holding it (0 if none) and its confirmations.</summary>
public sealed record TransactionState(TransactionStage Stage, ulong BlockNumber, uint Confirmations);
