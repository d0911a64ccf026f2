namespace MeshMessenger.Anchoring.Batches;

/// <summary>Where a batch is on its way to the chain.</summary>
public enum AnchorState
{
    /// <summary>Root computed; no transaction yet.</summary>
    Pending,

    /// <summary>A transaction is signed and stored, perhaps not yet sent (a crash may fall here).</summary>
    Signed,

    /// <summary>Sent to the node, not yet in a block.</summary>
    Sent,

    /// <summary>In a block; the block hash is re-checked until it is final.</summary>
    Included,

    /// <summary>In a block at or below the node's 'finalized' tag.</summary>
    Final,
}
