namespace MeshMessenger.Wallet.Chains;

/// <summary>How far a transaction has come.</summary>
public enum TransactionStage
{
    /// <summary>Neither in the node's mempool nor in a block it knows (dropped, reorged out, or never seen).</summary>
    Unknown = 0,

    /// <summary>In the mempool, not yet in a block.</summary>
    Pending,

    /// <summary>In a block of the best chain, not yet final.</summary>
    Included,

    /// <summary>Final: at or below the EVM 'finalized' block, or buried under the UTXO chain's confirmation depth.</summary>
    Final,
}
