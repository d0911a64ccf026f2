namespace MeshMessenger.Wallet;

/// <summary>Why the wallet refused or could not finish an operation; every refusal carries one, and the message names the cause.</summary>
public enum WalletError
{
    /// <summary>The spendable balance does not cover amount plus fee.</summary>
    InsufficientFunds = 1,

    /// <summary>An address's checksum does not match (EIP-55 mixed case, BIP-173 bech32).</summary>
    BadChecksum,

    /// <summary>An address, transaction or request belongs to another chain than the one asked for.</summary>
    WrongChain,

    /// <summary>An output is below the chain's dust limit.</summary>
    Dust,

    /// <summary>A fee or a replacement's fee is below what the chain or the replaced transaction requires.</summary>
    FeeTooLow,

    /// <summary>Text is not an address of any supported form.</summary>
    InvalidAddress,

    /// <summary>An amount is not a non-negative decimal with at most the asset's decimals.</summary>
    InvalidAmount,

    /// <summary>The chain's node refused the transaction; the message carries its reason.</summary>
    NodeRefused,

    /// <summary>No node or gateway serving this chain can be reached now.</summary>
    Unavailable,

    /// <summary>The chain does not know the transaction, address or contract asked about.</summary>
    NotFound,
}
