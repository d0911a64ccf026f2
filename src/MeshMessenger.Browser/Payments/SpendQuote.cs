using System.Numerics;
using MeshMessenger.Protocol.Payments;

namespace MeshMessenger.Browser.Payments;

/// <summary>
/// A payment signed and waiting for the person's Confirm: what the confirmation screen shows (recipient, amount, fee,
/// chain) and the signed bytes that go out unchanged on Confirm. A tip also carries the tip entry it will publish.
/// </summary>
internal sealed class SpendQuote
{
    /// <summary>Creates a quote.</summary>
    public SpendQuote(int id, WalletAsset asset, string recipientText, BigInteger amount, BigInteger fee, byte[] raw, byte[] txId, TipBody? tip)
    {
        Id = id;
        Asset = asset;
        RecipientText = recipientText;
        Amount = amount;
        Fee = fee;
        Raw = raw;
        TxId = txId;
        Tip = tip;
    }

    /// <summary>The page's handle for Confirm and Cancel.</summary>
    public int Id { get; }

    /// <summary>What is paid.</summary>
    public WalletAsset Asset { get; }

    /// <summary>The recipient as the chain writes it (EIP-55, bech32).</summary>
    public string RecipientText { get; }

    /// <summary>Base units of <see cref="Asset"/>.</summary>
    public BigInteger Amount { get; }

    /// <summary>The most the network fee can be, in base units of the chain's own coin (EVM: maxFeePerGas × gas; UTXO: the fee paid).</summary>
    public BigInteger Fee { get; }

    /// <summary>The signed transaction.</summary>
    public byte[] Raw { get; }

    /// <summary>Its id (EVM: keccak-256 of the signed bytes; UTXO: txid in display order).</summary>
    public byte[] TxId { get; }

    /// <summary>EVM: the nonce after this transaction's, taken once it is sent (0 for UTXO).</summary>
    public ulong NextNonce { get; init; }

    /// <summary>On a UTXO chain, the BIP-44 change index the spend pays its change to; -1 otherwise.</summary>
    public int ChangeIndex { get; init; } = -1;

    /// <summary>The tip entry to publish once the payment is accepted, or null for a plain send.</summary>
    public TipBody? Tip { get; }
}
