using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Payments;

/// <summary>
/// An address on one chain (docs/protocol.md, "Payments"): the chain's tag, a length byte and the address bytes.
/// EVM: the 20-byte account. UTXO: the witness version byte (0) and the 20-byte P2WPKH program, 21 bytes.
/// </summary>
public sealed class ChainAddress
{
    /// <summary>Bytes of an EVM address.</summary>
    public const int EvmSize = 20;

    /// <summary>Bytes of a UTXO address: witness version 0 and a 20-byte program (BIP-141 P2WPKH).</summary>
    public const int UtxoSize = 21;

    /// <summary>Largest encoding: a tag (family byte and a 5-byte varint), the length byte, 21 bytes.</summary>
    public const int MaxEncodedSize = 1 + Varint.MaxSize + 1 + UtxoSize;

    /// <summary>Creates an address; refuses bytes of the wrong shape for the chain.</summary>
    public ChainAddress(ChainTag chain, byte[] address)
    {
        if (chain == null || address == null || !Fits(chain.Family, address))
        {
            throw new ProtocolException(ProtocolError.InvalidField, "an EVM address is 20 bytes, a UTXO address 0x00 and a 20-byte program");
        }

        Chain = chain;
        Address = address;
    }

    /// <summary>The chain.</summary>
    public ChainTag Chain { get; }

    /// <summary>The address bytes (20 for EVM; 21 for UTXO: version 0 then program).</summary>
    public byte[] Address { get; }

    /// <summary>Bytes <see cref="Write"/> takes.</summary>
    public int EncodedSize => Chain.EncodedSize + 1 + Address.Length;

    /// <summary>True if <paramref name="address"/> has the shape the family's addresses have.</summary>
    public static bool Fits(ChainFamily family, byte[] address)
    {
        return family == ChainFamily.Evm ? address.Length == EvmSize : address.Length == UtxoSize && address[0] == 0;
    }

    /// <summary>Writes tag, length byte, bytes.</summary>
    public void Write(ByteWriter writer)
    {
        Chain.Write(writer);
        writer.WriteByte(Address.Length);
        writer.WriteBytes(Address);
    }

    /// <summary>Reads an address from untrusted bytes; never throws.</summary>
    public static ProtocolError TryRead(ByteReader reader, out ChainAddress? address)
    {
        address = null;
        ChainTag? chain;
        ProtocolError error = ChainTag.TryRead(reader, out chain);
        if (error != ProtocolError.None)
        {
            return error;
        }

        int length = reader.ReadByte();
        if (length < 0)
        {
            return ProtocolError.Truncated;
        }

        if (length != (chain!.Family == ChainFamily.Evm ? EvmSize : UtxoSize))
        {
            return ProtocolError.InvalidField;
        }

        byte[]? bytes = reader.ReadBytes(length);
        if (bytes == null)
        {
            return ProtocolError.Truncated;
        }

        if (!Fits(chain.Family, bytes))
        {
            return ProtocolError.InvalidField;
        }

        address = new ChainAddress(chain, bytes);
        return ProtocolError.None;
    }

    /// <summary>Same chain and bytes.</summary>
    public override bool Equals(object? obj)
    {
        if (!(obj is ChainAddress other) || !other.Chain.Equals(Chain) || other.Address.Length != Address.Length)
        {
            return false;
        }

        for (int i = 0; i < Address.Length; i++)
        {
            if (other.Address[i] != Address[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Hash of chain and bytes.</summary>
    public override int GetHashCode()
    {
        int hash = Chain.GetHashCode();
        for (int i = 0; i < Address.Length; i++)
        {
            hash = (hash * 31) + Address[i];
        }

        return hash;
    }
}
