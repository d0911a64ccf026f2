using System.Numerics;
using MeshMessenger.Protocol.Payments;

namespace MeshMessenger.Browser.Payments;

/// <summary>
/// One own payment read back from the node's chain (<see cref="PaymentHistory"/>): the broadcast chain request, what
/// its signed bytes say, and the newest chain status its gateway sealed back.
/// </summary>
internal sealed class RecoveredPayment
{
    /// <summary>Creates a record of the broadcast with sequence <paramref name="sequence"/> to <paramref name="gateway"/>.</summary>
    public RecoveredPayment(ChainTag chain, byte[] txId, uint gateway, uint sequence, uint time)
    {
        Chain = chain;
        TxId = txId;
        Gateway = gateway;
        Sequence = sequence;
        Time = time;
    }

    /// <summary>The chain the transaction was broadcast on.</summary>
    public ChainTag Chain { get; }

    /// <summary>The transaction id (EVM: keccak-256 of the signed bytes; UTXO: txid in display order).</summary>
    public byte[] TxId { get; }

    /// <summary>The gateway whose answer <see cref="Status"/> is (the last one asked when none answered).</summary>
    public uint Gateway { get; set; }

    /// <summary>The chain request's sequence in this node's chain.</summary>
    public uint Sequence { get; set; }

    /// <summary>Unix seconds of the chain request entry.</summary>
    public uint Time { get; }

    /// <summary>The recipient as the chain writes it (EIP-55, bech32), or null when the signed bytes do not say.</summary>
    public string? Recipient { get; set; }

    /// <summary>The ERC-20 contract for a token transfer, or null for the chain's own coin.</summary>
    public byte[]? Token { get; set; }

    /// <summary>Base units paid to <see cref="Recipient"/>, or null when unknown.</summary>
    public BigInteger? Amount { get; set; }

    /// <summary>The most the network fee can be (EVM: maxFeePerGas × gas), or null when the bytes alone do not say (UTXO: input values are not in the transaction).</summary>
    public BigInteger? Fee { get; set; }

    /// <summary>The newest status the gateway sealed back for this request, or null if none has arrived.</summary>
    public ChainStatusBody? Status { get; set; }

    /// <summary>The own tip entry naming this transaction, or null for a plain send.</summary>
    public TipBody? Tip { get; set; }
}
