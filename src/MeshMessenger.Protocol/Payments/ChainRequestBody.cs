using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Payments;

/// <summary>
/// The plaintext of a chain request entry (kind 9, sealed to a gateway; docs/protocol.md, "Payments"):
/// <code>
/// kind     1        ChainRequestKind
/// chain    tag      ChainTag
/// payload  rest     per kind, at most 1,900 bytes
/// </code>
/// </summary>
public sealed class ChainRequestBody
{
    /// <summary>Largest payload (a signed transaction fits; the entry is fragmented on LoRa).</summary>
    public const int MaxPayloadSize = 1900;

    /// <summary>Bytes of a transaction id.</summary>
    public const int TxIdSize = 32;

    /// <summary>Bytes of an ERC-20 token contract address.</summary>
    public const int TokenSize = 20;

    /// <summary>Creates a request; refuses a payload of the wrong shape for the kind and chain.</summary>
    public ChainRequestBody(ChainRequestKind kind, ChainTag chain, byte[] payload)
    {
        ProtocolError error = Check(kind, chain, payload);
        if (error != ProtocolError.None)
        {
            throw new ProtocolException(error, "payload does not fit a " + (int)kind + " request on " + (chain == null ? "?" : chain.ToText()));
        }

        Kind = kind;
        Chain = chain!;
        Payload = payload;
    }

    /// <summary>What is asked.</summary>
    public ChainRequestKind Kind { get; }

    /// <summary>On which chain.</summary>
    public ChainTag Chain { get; }

    /// <summary>The kind's payload.</summary>
    public byte[] Payload { get; }

    /// <summary>Encodes the body.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(1 + Chain.EncodedSize + Payload.Length);
        writer.WriteByte((int)Kind);
        Chain.Write(writer);
        writer.WriteBytes(Payload);
        return writer.ToArray();
    }

    /// <summary>Decodes a body from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] data, out ChainRequestBody? body)
    {
        body = null;
        var reader = new ByteReader(data, 0, data.Length);
        int kind = reader.ReadByte();
        if (kind < 0)
        {
            return ProtocolError.Truncated;
        }

        if (kind < (int)ChainRequestKind.Broadcast || kind > (int)ChainRequestKind.Transfer)
        {
            return ProtocolError.UnknownType;
        }

        ChainTag? chain;
        ProtocolError error = ChainTag.TryRead(reader, out chain);
        if (error != ProtocolError.None)
        {
            return error;
        }

        byte[] payload = reader.ReadBytes(reader.Remaining)!;
        error = Check((ChainRequestKind)kind, chain, payload);
        if (error == ProtocolError.None)
        {
            body = new ChainRequestBody((ChainRequestKind)kind, chain!, payload);
        }

        return error;
    }

    private static ProtocolError Check(ChainRequestKind kind, ChainTag? chain, byte[]? payload)
    {
        if (chain == null || payload == null)
        {
            return ProtocolError.InvalidField;
        }

        if (payload.Length > MaxPayloadSize)
        {
            return ProtocolError.TooLarge;
        }

        bool evm = chain.Family == ChainFamily.Evm;
        int address = evm ? ChainAddress.EvmSize : ChainAddress.UtxoSize;
        switch (kind)
        {
            case ChainRequestKind.Broadcast:
                return payload.Length > 0 ? ProtocolError.None : ProtocolError.Truncated;
            case ChainRequestKind.Balance:
                if (payload.Length == address && ChainAddress.Fits(chain.Family, payload))
                {
                    return ProtocolError.None;
                }

                return evm && payload.Length == address + TokenSize ? ProtocolError.None : ProtocolError.InvalidField;
            case ChainRequestKind.Nonce:
                return evm && payload.Length == ChainAddress.EvmSize ? ProtocolError.None : ProtocolError.InvalidField;
            case ChainRequestKind.Utxos:
                return !evm && ChainAddress.Fits(chain.Family, payload) ? ProtocolError.None : ProtocolError.InvalidField;
            case ChainRequestKind.Fees:
                return payload.Length == 0 ? ProtocolError.None : ProtocolError.TrailingBytes;
            case ChainRequestKind.Status:
            case ChainRequestKind.Transfer:
                return payload.Length == TxIdSize ? ProtocolError.None : ProtocolError.InvalidField;
            default:
                return ProtocolError.UnknownType;
        }
    }
}
