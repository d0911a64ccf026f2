namespace MeshMessenger.Wallet.Tips;

/// <summary>What a tip entry's claim amounts to on its chain.</summary>
public enum TipOutcome
{
    /// <summary>The chain shows the payment the tip names, in a block with at least one confirmation, or final.</summary>
    Confirmed = 1,

    /// <summary>The payment is in the mempool (or its token transfer is not yet executed); ask again later.</summary>
    Pending,

    /// <summary>The tip does not hold; <see cref="TipVerdict.Refusal"/> says why.</summary>
    Invalid,
}
