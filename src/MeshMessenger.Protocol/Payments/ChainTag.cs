using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Payments;

/// <summary>
/// Names one chain on the wire and in text (docs/protocol.md, "Chain tag"): a family byte and a varint reference.
/// EVM chains are named by their EIP-155 chain id and written as CAIP-2 (<c>eip155:1</c>); Bitcoin-family networks
/// are numbered 0 to 5 and written by name. The numbering matches the wallet's network list, so the two never disagree.
/// </summary>
public sealed class ChainTag
{
    private static readonly string[] UtxoNames = { "bitcoin", "bitcoin-testnet", "bitcoin-signet", "bitcoin-regtest", "litecoin", "litecoin-regtest" };

    private const string EvmPrefix = "eip155:";

    /// <summary>Creates a tag; refuses a family this version does not know and a UTXO reference outside the list.</summary>
    public ChainTag(ChainFamily family, uint reference)
    {
        if (family == ChainFamily.Utxo ? reference >= (uint)UtxoNames.Length : family != ChainFamily.Evm || reference == 0)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "unknown chain " + (int)family + ":" + reference);
        }

        Family = family;
        Reference = reference;
    }

    /// <summary>EVM or UTXO.</summary>
    public ChainFamily Family { get; }

    /// <summary>The EIP-155 chain id (EVM) or the network number (UTXO).</summary>
    public uint Reference { get; }

    /// <summary>Bytes <see cref="Write"/> takes.</summary>
    public int EncodedSize => 1 + Varint.SizeOf(Reference);

    /// <summary>The tag for an EVM chain id.</summary>
    public static ChainTag Evm(uint chainId) => new ChainTag(ChainFamily.Evm, chainId);

    /// <summary>The tag for a Bitcoin-family network number (0 bitcoin … 5 litecoin-regtest).</summary>
    public static ChainTag Utxo(uint network) => new ChainTag(ChainFamily.Utxo, network);

    /// <summary>Writes the family byte and the varint reference.</summary>
    public void Write(ByteWriter writer)
    {
        writer.WriteByte((int)Family);
        writer.WriteVarint(Reference);
    }

    /// <summary>Reads a tag; a family or network this version does not know is <see cref="ProtocolError.UnknownType"/>.</summary>
    public static ProtocolError TryRead(ByteReader reader, out ChainTag? tag)
    {
        tag = null;
        int family = reader.ReadByte();
        if (family < 0 || !reader.TryReadVarint(out uint reference))
        {
            return ProtocolError.Truncated;
        }

        if (family == (int)ChainFamily.Evm ? reference == 0 : family != (int)ChainFamily.Utxo || reference >= (uint)UtxoNames.Length)
        {
            return ProtocolError.UnknownType;
        }

        tag = new ChainTag((ChainFamily)family, reference);
        return ProtocolError.None;
    }

    /// <summary>Parses <c>eip155:N</c> or a network name; null when the text names no chain this version knows.</summary>
    public static ChainTag? Parse(string text)
    {
        if (text == null)
        {
            return null;
        }

        string lower = text.Trim().ToLower();
        if (lower.StartsWith(EvmPrefix))
        {
            string digits = lower.Substring(EvmPrefix.Length);
            if (digits.Length == 0 || digits.Length > 10 || (digits.Length > 1 && digits[0] == '0'))
            {
                return null;
            }

            ulong value = 0;
            for (int i = 0; i < digits.Length; i++)
            {
                char c = digits[i];
                if (c < '0' || c > '9')
                {
                    return null;
                }

                value = (value * 10) + (ulong)(c - '0');
            }

            return value == 0 || value > uint.MaxValue ? null : Evm((uint)value);
        }

        for (int i = 0; i < UtxoNames.Length; i++)
        {
            if (UtxoNames[i] == lower)
            {
                return Utxo((uint)i);
            }
        }

        return null;
    }

    /// <summary>The text form: <c>eip155:N</c> or the network name.</summary>
    public string ToText() => Family == ChainFamily.Evm ? EvmPrefix + Reference.ToString() : UtxoNames[(int)Reference];

    /// <summary>Same family and reference.</summary>
    public override bool Equals(object? obj) => obj is ChainTag other && other.Family == Family && other.Reference == Reference;

    /// <summary>Hash of family and reference.</summary>
    public override int GetHashCode() => ((int)Family * 397) ^ (int)Reference;

    /// <summary>The text form.</summary>
    public override string ToString() => ToText();
}
