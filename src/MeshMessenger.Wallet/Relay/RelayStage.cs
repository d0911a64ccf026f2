namespace MeshMessenger.Wallet.Relay;

/// <summary>Where a relayed request stands in the <see cref="IRelayJournal"/>.</summary>
public enum RelayStage
{
    /// <summary>A broadcast is about to be handed to the node (saved before the node sees it, so a crash re-sends it).</summary>
    Broadcasting = 1,

    /// <summary>The node accepted the transaction; it is tracked until final.</summary>
    Accepted,

    /// <summary>The transaction is in a block, not yet final; still tracked.</summary>
    Included,

    /// <summary>Done: the transaction is final.</summary>
    Final,

    /// <summary>Done: the node refused the transaction, or it was dropped and re-broadcast was refused.</summary>
    Failed,

    /// <summary>Done: a read was answered (or refused, or rate limited); nothing to track.</summary>
    Answered,
}
