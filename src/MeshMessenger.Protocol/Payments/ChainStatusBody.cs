using System;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Payments;

/// <summary>
/// The plaintext of a chain status entry (kind 10, sealed to the requester; docs/protocol.md, "Payments"):
/// <code>
/// request  varint   sequence of the ChainRequest entry in the requester's chain
/// kind     1        ChainStatusKind
/// payload  rest     per kind (txid 32 [block varint [confirmations varint]], a UTF-8 reason ≤ 200, or an answer ≤ 1,900)
/// </code>
/// </summary>
public sealed class ChainStatusBody
{
    /// <summary>Longest reason (<see cref="ChainStatusKind.Failed"/>, <see cref="ChainStatusKind.Unavailable"/>), in UTF-8 bytes.</summary>
    public const int MaxReasonBytes = 200;

    /// <summary>Largest payload (an answer).</summary>
    public const int MaxPayloadSize = ChainRequestBody.MaxPayloadSize;

    /// <summary>Creates a status; refuses a payload of the wrong shape for the kind.</summary>
    public ChainStatusBody(uint requestSequence, ChainStatusKind kind, byte[] payload)
    {
        ProtocolError error = Check(kind, payload);
        if (error != ProtocolError.None)
        {
            throw new ProtocolException(error, "payload does not fit a status of kind " + (int)kind);
        }

        RequestSequence = requestSequence;
        Kind = kind;
        Payload = payload;
    }

    /// <summary>The request's sequence in the requester's chain.</summary>
    public uint RequestSequence { get; }

    /// <summary>What is reported.</summary>
    public ChainStatusKind Kind { get; }

    /// <summary>The kind's payload.</summary>
    public byte[] Payload { get; }

    /// <summary>The transaction id (Accepted, Included, Final, Dropped), or null.</summary>
    public byte[]? TxId => CarriesTxId(Kind) ? Slice(Payload, 0, ChainRequestBody.TxIdSize) : null;

    /// <summary>The block number (Included, Final), else 0.</summary>
    public uint Block
    {
        get
        {
            uint block = 0;
            if (Kind == ChainStatusKind.Included || Kind == ChainStatusKind.Final)
            {
                new ByteReader(Payload, ChainRequestBody.TxIdSize, Payload.Length - ChainRequestBody.TxIdSize).TryReadVarint(out block);
            }

            return block;
        }
    }

    /// <summary>The confirmations (Included), else 0.</summary>
    public uint Confirmations
    {
        get
        {
            uint confirmations = 0;
            var reader = new ByteReader(Payload, ChainRequestBody.TxIdSize, Payload.Length - ChainRequestBody.TxIdSize);
            if (Kind == ChainStatusKind.Included && reader.TryReadVarint(out _))
            {
                reader.TryReadVarint(out confirmations);
            }

            return confirmations;
        }
    }

    /// <summary>The reason (Failed, Unavailable), or null.</summary>
    public string? Reason => Kind == ChainStatusKind.Failed || Kind == ChainStatusKind.Unavailable ? Utf8Text.Decode(Payload, 0, Payload.Length) : null;

    /// <summary>A status carrying only a transaction id (Accepted, Dropped).</summary>
    public static ChainStatusBody OfTx(uint requestSequence, ChainStatusKind kind, byte[] txId) => new ChainStatusBody(requestSequence, kind, txId);

    /// <summary>An Included status.</summary>
    public static ChainStatusBody Included(uint requestSequence, byte[] txId, uint block, uint confirmations)
    {
        var writer = new ByteWriter(txId.Length + (2 * Varint.MaxSize));
        writer.WriteBytes(txId);
        writer.WriteVarint(block);
        writer.WriteVarint(confirmations);
        return new ChainStatusBody(requestSequence, ChainStatusKind.Included, writer.ToArray());
    }

    /// <summary>A Final status.</summary>
    public static ChainStatusBody Final(uint requestSequence, byte[] txId, uint block)
    {
        var writer = new ByteWriter(txId.Length + Varint.MaxSize);
        writer.WriteBytes(txId);
        writer.WriteVarint(block);
        return new ChainStatusBody(requestSequence, ChainStatusKind.Final, writer.ToArray());
    }

    /// <summary>A Failed or Unavailable status; the reason is cut to 200 UTF-8 bytes on a character boundary.</summary>
    public static ChainStatusBody OfReason(uint requestSequence, ChainStatusKind kind, string reason)
    {
        return new ChainStatusBody(requestSequence, kind, Utf8Text.Truncate(Utf8Text.GetBytes(reason), MaxReasonBytes));
    }

    /// <summary>Encodes the body.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(Varint.SizeOf(RequestSequence) + 1 + Payload.Length);
        writer.WriteVarint(RequestSequence);
        writer.WriteByte((int)Kind);
        writer.WriteBytes(Payload);
        return writer.ToArray();
    }

    /// <summary>Decodes a body from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] data, out ChainStatusBody? body)
    {
        body = null;
        var reader = new ByteReader(data, 0, data.Length);
        int kind;
        if (!reader.TryReadVarint(out uint request) || (kind = reader.ReadByte()) < 0)
        {
            return ProtocolError.Truncated;
        }

        if (kind < (int)ChainStatusKind.Accepted || kind > (int)ChainStatusKind.Unavailable)
        {
            return ProtocolError.UnknownType;
        }

        byte[] payload = reader.ReadBytes(reader.Remaining)!;
        ProtocolError error = Check((ChainStatusKind)kind, payload);
        if (error == ProtocolError.None)
        {
            body = new ChainStatusBody(request, (ChainStatusKind)kind, payload);
        }

        return error;
    }

    private static bool CarriesTxId(ChainStatusKind kind)
    {
        return kind == ChainStatusKind.Accepted || kind == ChainStatusKind.Included || kind == ChainStatusKind.Final || kind == ChainStatusKind.Dropped;
    }

    private static ProtocolError Check(ChainStatusKind kind, byte[]? payload)
    {
        if (payload == null)
        {
            return ProtocolError.InvalidField;
        }

        if (payload.Length > MaxPayloadSize)
        {
            return ProtocolError.TooLarge;
        }

        switch (kind)
        {
            case ChainStatusKind.Accepted:
            case ChainStatusKind.Dropped:
            case ChainStatusKind.Included:
            case ChainStatusKind.Final:
                var reader = new ByteReader(payload, 0, payload.Length);
                if (!reader.Skip(ChainRequestBody.TxIdSize))
                {
                    return ProtocolError.Truncated;
                }

                int varints = kind == ChainStatusKind.Included ? 2 : kind == ChainStatusKind.Final ? 1 : 0;
                for (int i = 0; i < varints; i++)
                {
                    if (!reader.TryReadVarint(out _))
                    {
                        return ProtocolError.Truncated;
                    }
                }

                return reader.Remaining == 0 ? ProtocolError.None : ProtocolError.TrailingBytes;
            case ChainStatusKind.Failed:
            case ChainStatusKind.Unavailable:
                if (payload.Length > MaxReasonBytes)
                {
                    return ProtocolError.TooLarge;
                }

                return Utf8Text.Decode(payload, 0, payload.Length) == null ? ProtocolError.InvalidText : ProtocolError.None;
            case ChainStatusKind.Answer:
                return ProtocolError.None;
            default:
                return ProtocolError.UnknownType;
        }
    }

    private static byte[] Slice(byte[] source, int offset, int count)
    {
        var result = new byte[count];
        Array.Copy(source, offset, result, 0, count);
        return result;
    }
}
