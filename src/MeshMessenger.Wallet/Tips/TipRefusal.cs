namespace MeshMessenger.Wallet.Tips;

/// <summary>Why a tip is <see cref="TipOutcome.Invalid"/>.</summary>
public enum TipRefusal
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The tip names another post author than the profile given, or its post hash prefix is not the post's.</summary>
    WrongPost,

    /// <summary>The tip's recipient is on another chain than the one the verifier reads.</summary>
    WrongChain,

    /// <summary>The tip's recipient is not among the addresses of the post author's profile.</summary>
    RecipientNotInProfile,

    /// <summary>The transaction pays nobody at the tip's recipient.</summary>
    WrongRecipient,

    /// <summary>The transaction pays the recipient in another asset (coin vs. ERC-20 token, or another token).</summary>
    WrongAsset,

    /// <summary>The transaction pays the recipient in the asset, but not the tip's amount.</summary>
    WrongAmount,

    /// <summary>The transaction is in a block but failed (EVM receipt status 0) and paid nothing.</summary>
    TransactionFailed,

    /// <summary>The chain does not know the transaction (never seen, dropped or reorged out).</summary>
    UnknownTransaction,
}
