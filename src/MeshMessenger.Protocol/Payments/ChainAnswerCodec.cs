using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Payments;

/// <summary>
/// The payloads of <see cref="ChainStatusKind.Answer"/> statuses, one encoder and one decoder per request kind
/// (docs/protocol.md, "Payments"). Decoders take untrusted bytes, never throw, refuse trailing bytes.
/// <code>
/// Balance   amount (length byte 0..32, big-endian unsigned, canonical)
/// Nonce     8-byte big-endian
/// Fees      EVM: base fee amount, priority fee amount (wei); UTXO: sat/vB as 4-byte big-endian
/// Utxos     count varint (≤ 36), then × (txid 32, vout varint, value 8-byte big-endian, confirmations varint)
/// Transfer  count byte (1..8), then × (to (length byte ≤ 32, bytes), token (length byte 0 or 20, bytes), amount,
///           block varint (0 pending), final byte 0/1)
/// </code>
/// </summary>
public static class ChainAnswerCodec
{
    /// <summary>Most outputs in one Utxos answer (36 × 50 bytes stays under the 1,900-byte payload).</summary>
    public const int MaxUtxos = 36;

    /// <summary>Most payments in one Transfer answer (a UTXO transaction's first outputs).</summary>
    public const int MaxTransfers = 8;

    private const int UtxoMaxSize = ChainRequestBody.TxIdSize + Varint.MaxSize + 8 + Varint.MaxSize;

    private const int TransferMaxSize = 1 + ChainTransfer.MaxToBytes + 1 + ChainRequestBody.TokenSize + 1 + ChainAmount.MaxBytes + Varint.MaxSize + 1;

    /// <summary>A Balance answer.</summary>
    public static byte[] EncodeBalance(byte[] amount)
    {
        var writer = new ByteWriter(1 + ChainAmount.MaxBytes);
        ChainAmount.Write(writer, amount);
        return writer.ToArray();
    }

    /// <summary>Reads a Balance answer.</summary>
    public static ProtocolError TryDecodeBalance(byte[] data, out byte[]? amount)
    {
        var reader = new ByteReader(data, 0, data.Length);
        ProtocolError error = ChainAmount.TryRead(reader, out amount);
        return Finish(reader, error, ref amount);
    }

    /// <summary>A Nonce answer.</summary>
    public static byte[] EncodeNonce(ulong nonce)
    {
        var writer = new ByteWriter(8);
        WriteUInt64(writer, nonce);
        return writer.ToArray();
    }

    /// <summary>Reads a Nonce answer.</summary>
    public static ProtocolError TryDecodeNonce(byte[] data, out ulong nonce)
    {
        var reader = new ByteReader(data, 0, data.Length);
        if (!TryReadUInt64(reader, out nonce))
        {
            return ProtocolError.Truncated;
        }

        return reader.Remaining == 0 ? ProtocolError.None : ProtocolError.TrailingBytes;
    }

    /// <summary>An EVM Fees answer: EIP-1559 base fee and suggested priority fee, in wei.</summary>
    public static byte[] EncodeEvmFees(byte[] baseFee, byte[] priorityFee)
    {
        var writer = new ByteWriter(2 * (1 + ChainAmount.MaxBytes));
        ChainAmount.Write(writer, baseFee);
        ChainAmount.Write(writer, priorityFee);
        return writer.ToArray();
    }

    /// <summary>Reads an EVM Fees answer.</summary>
    public static ProtocolError TryDecodeEvmFees(byte[] data, out byte[]? baseFee, out byte[]? priorityFee)
    {
        priorityFee = null;
        var reader = new ByteReader(data, 0, data.Length);
        ProtocolError error = ChainAmount.TryRead(reader, out baseFee);
        if (error == ProtocolError.None)
        {
            error = ChainAmount.TryRead(reader, out priorityFee);
        }

        if (error == ProtocolError.None && reader.Remaining != 0)
        {
            error = ProtocolError.TrailingBytes;
        }

        if (error != ProtocolError.None)
        {
            baseFee = null;
            priorityFee = null;
        }

        return error;
    }

    /// <summary>A UTXO Fees answer: the fee rate in satoshis per virtual byte.</summary>
    public static byte[] EncodeUtxoFees(uint satPerVbyte)
    {
        var writer = new ByteWriter(4);
        writer.WriteUInt32(satPerVbyte);
        return writer.ToArray();
    }

    /// <summary>Reads a UTXO Fees answer.</summary>
    public static ProtocolError TryDecodeUtxoFees(byte[] data, out uint satPerVbyte)
    {
        var reader = new ByteReader(data, 0, data.Length);
        if (!reader.TryReadUInt32(out satPerVbyte))
        {
            return ProtocolError.Truncated;
        }

        return reader.Remaining == 0 ? ProtocolError.None : ProtocolError.TrailingBytes;
    }

    /// <summary>A Utxos answer; refuses more than <see cref="MaxUtxos"/> outputs.</summary>
    public static byte[] EncodeUtxos(ChainUtxo[] utxos)
    {
        if (utxos.Length > MaxUtxos)
        {
            throw new ProtocolException(ProtocolError.TooLarge, "at most " + MaxUtxos + " outputs per answer");
        }

        var writer = new ByteWriter(Varint.MaxSize + (utxos.Length * UtxoMaxSize));
        writer.WriteVarint((uint)utxos.Length);
        for (int i = 0; i < utxos.Length; i++)
        {
            writer.WriteBytes(utxos[i].TxId);
            writer.WriteVarint(utxos[i].Vout);
            WriteUInt64(writer, utxos[i].Value);
            writer.WriteVarint(utxos[i].Confirmations);
        }

        return writer.ToArray();
    }

    /// <summary>Reads a Utxos answer; a count over <see cref="MaxUtxos"/> is <see cref="ProtocolError.TooLarge"/>.</summary>
    public static ProtocolError TryDecodeUtxos(byte[] data, out ChainUtxo[]? utxos)
    {
        utxos = null;
        var reader = new ByteReader(data, 0, data.Length);
        if (!reader.TryReadVarint(out uint count))
        {
            return ProtocolError.Truncated;
        }

        if (count > MaxUtxos)
        {
            return ProtocolError.TooLarge;
        }

        var list = new ChainUtxo[count];
        for (int i = 0; i < list.Length; i++)
        {
            byte[]? txId = reader.ReadBytes(ChainRequestBody.TxIdSize);
            if (txId == null || !reader.TryReadVarint(out uint vout) || !TryReadUInt64(reader, out ulong value) || !reader.TryReadVarint(out uint confirmations))
            {
                return ProtocolError.Truncated;
            }

            list[i] = new ChainUtxo(txId, vout, value, confirmations);
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        utxos = list;
        return ProtocolError.None;
    }

    /// <summary>
    /// A Transfer answer: count byte (1..<see cref="MaxTransfers"/>), then each payment of the transaction. A
    /// transaction that pays nothing has no Transfer answer (the gateway answers with its status instead).
    /// </summary>
    public static byte[] EncodeTransfers(ChainTransfer[] transfers)
    {
        if (transfers == null || transfers.Length == 0 || transfers.Length > MaxTransfers)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "a transfer answer holds 1 to " + MaxTransfers + " payments");
        }

        var writer = new ByteWriter(1 + (transfers.Length * TransferMaxSize));
        writer.WriteByte(transfers.Length);
        for (int i = 0; i < transfers.Length; i++)
        {
            ChainTransfer transfer = transfers[i];
            writer.WriteByte(transfer.To.Length);
            writer.WriteBytes(transfer.To);
            WriteToken(writer, transfer.Token);
            ChainAmount.Write(writer, transfer.Amount);
            writer.WriteVarint(transfer.Block);
            writer.WriteByte(transfer.Final ? 1 : 0);
        }

        return writer.ToArray();
    }

    /// <summary>Reads a Transfer answer; a count of 0 or over <see cref="MaxTransfers"/> is <see cref="ProtocolError.InvalidField"/>.</summary>
    public static ProtocolError TryDecodeTransfers(byte[] data, out ChainTransfer[]? transfers)
    {
        transfers = null;
        var reader = new ByteReader(data, 0, data.Length);
        int count = reader.ReadByte();
        if (count < 0)
        {
            return ProtocolError.Truncated;
        }

        if (count == 0 || count > MaxTransfers)
        {
            return ProtocolError.InvalidField;
        }

        var list = new ChainTransfer[count];
        for (int i = 0; i < list.Length; i++)
        {
            ChainTransfer? transfer;
            ProtocolError error = TryReadTransfer(reader, out transfer);
            if (error != ProtocolError.None)
            {
                return error;
            }

            list[i] = transfer!;
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        transfers = list;
        return ProtocolError.None;
    }

    /// <summary>Writes an optional ERC-20 token: length byte 0 (none) or 20, then the bytes.</summary>
    public static void WriteToken(ByteWriter writer, byte[]? token)
    {
        if (token != null && token.Length != ChainRequestBody.TokenSize)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "a token address is 20 bytes");
        }

        writer.WriteByte(token == null ? 0 : token.Length);
        if (token != null)
        {
            writer.WriteBytes(token);
        }
    }

    /// <summary>Reads an optional ERC-20 token; a length other than 0 or 20 is <see cref="ProtocolError.InvalidField"/>.</summary>
    public static ProtocolError TryReadToken(ByteReader reader, out byte[]? token)
    {
        token = null;
        int length = reader.ReadByte();
        if (length < 0)
        {
            return ProtocolError.Truncated;
        }

        if (length != 0 && length != ChainRequestBody.TokenSize)
        {
            return ProtocolError.InvalidField;
        }

        if (length == 0)
        {
            return ProtocolError.None;
        }

        token = reader.ReadBytes(length);
        return token == null ? ProtocolError.Truncated : ProtocolError.None;
    }

    private static ProtocolError TryReadTransfer(ByteReader reader, out ChainTransfer? transfer)
    {
        transfer = null;
        int toLength = reader.ReadByte();
        if (toLength < 0)
        {
            return ProtocolError.Truncated;
        }

        if (toLength > ChainTransfer.MaxToBytes)
        {
            return ProtocolError.InvalidField;
        }

        byte[]? to = reader.ReadBytes(toLength);
        if (to == null)
        {
            return ProtocolError.Truncated;
        }

        byte[]? token;
        ProtocolError error = TryReadToken(reader, out token);
        if (error != ProtocolError.None)
        {
            return error;
        }

        byte[]? amount;
        error = ChainAmount.TryRead(reader, out amount);
        if (error != ProtocolError.None)
        {
            return error;
        }

        int final;
        if (!reader.TryReadVarint(out uint block) || (final = reader.ReadByte()) < 0)
        {
            return ProtocolError.Truncated;
        }

        if (final > 1)
        {
            return ProtocolError.InvalidField;
        }

        transfer = new ChainTransfer(to, token, amount!, block, final == 1);
        return ProtocolError.None;
    }

    private static ProtocolError Finish(ByteReader reader, ProtocolError error, ref byte[]? value)
    {
        if (error == ProtocolError.None && reader.Remaining != 0)
        {
            error = ProtocolError.TrailingBytes;
        }

        if (error != ProtocolError.None)
        {
            value = null;
        }

        return error;
    }

    private static void WriteUInt64(ByteWriter writer, ulong value)
    {
        writer.WriteUInt32((uint)(value >> 32));
        writer.WriteUInt32((uint)value);
    }

    private static bool TryReadUInt64(ByteReader reader, out ulong value)
    {
        value = 0;
        if (!reader.TryReadUInt32(out uint high) || !reader.TryReadUInt32(out uint low))
        {
            return false;
        }

        value = ((ulong)high << 32) | low;
        return true;
    }
}
