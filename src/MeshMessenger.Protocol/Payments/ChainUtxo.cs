namespace MeshMessenger.Protocol.Payments;

/// <summary>One unspent output in a <see cref="ChainAnswerCodec"/> Utxos answer.</summary>
public sealed class ChainUtxo
{
    /// <summary>Creates an output; the transaction id is 32 bytes.</summary>
    public ChainUtxo(byte[] txId, uint vout, ulong value, uint confirmations)
    {
        if (txId == null || txId.Length != ChainRequestBody.TxIdSize)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "a transaction id is 32 bytes");
        }

        TxId = txId;
        Vout = vout;
        Value = value;
        Confirmations = confirmations;
    }

    /// <summary>The funding transaction's id, in the byte order the node reports it.</summary>
    public byte[] TxId { get; }

    /// <summary>The output index.</summary>
    public uint Vout { get; }

    /// <summary>The value in satoshis (litoshis).</summary>
    public ulong Value { get; }

    /// <summary>Confirmations (0 = in the mempool).</summary>
    public uint Confirmations { get; }
}
