using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Identity;

/// <summary>
/// What a node says about itself: its two public keys, a display name, an optional wallet address, and
/// optionally its addresses on chains and the chains it serves as a gateway (docs/protocol.md §2.3).
/// The same bytes form the body of a profile entry (sequence 0 of every chain) and the inside of a contact
/// card, so there is one encoder and one decoder for them. Self-certifying: the node id is computed from
/// <see cref="SigningKey"/>, and the enclosing signature is checked against it.
/// </summary>
public sealed class Profile
{
    /// <summary>Longest display name in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 32;

    /// <summary>Size of an Ethereum address.</summary>
    public const int WalletSize = 20;

    /// <summary>Most chain addresses in a profile.</summary>
    public const int MaxAddresses = 4;

    /// <summary>Most served chains in a profile.</summary>
    public const int MaxServedChains = 8;

    /// <summary>Largest encoding of a profile without addresses or served chains (what version 1 first defined).</summary>
    public const int MaxBasicSize = 32 + 32 + 1 + 1 + MaxNameBytes + WalletSize;

    /// <summary>Largest encoding: keys, flags, name length, name, wallet, addresses, served chains.</summary>
    public const int MaxSize = MaxBasicSize + 1 + (MaxAddresses * ChainAddress.MaxEncodedSize) + 1 + (MaxServedChains * (1 + Varint.MaxSize));

    private const int FlagWallet = 0x01;
    private const int FlagAddresses = 0x02;
    private const int FlagServedChains = 0x04;

    /// <summary>Creates a profile; the name is cut to <see cref="MaxNameBytes"/> on a character boundary.</summary>
    public Profile(byte[] signingKey, byte[] agreementKey, string name, byte[]? wallet)
        : this(signingKey, agreementKey, name, wallet, null, null)
    {
    }

    /// <summary>
    /// Creates a profile with chain addresses (at most <see cref="MaxAddresses"/>) and served chains (at most
    /// <see cref="MaxServedChains"/>); null or empty arrays mean none, and the flag bit is then left clear.
    /// </summary>
    public Profile(byte[] signingKey, byte[] agreementKey, string name, byte[]? wallet, ChainAddress[]? addresses, ChainTag[]? served)
    {
        addresses = addresses ?? new ChainAddress[0];
        served = served ?? new ChainTag[0];
        if (addresses.Length > MaxAddresses || served.Length > MaxServedChains)
        {
            throw new ProtocolException(ProtocolError.TooLarge, "a profile lists at most " + MaxAddresses + " addresses and " + MaxServedChains + " served chains");
        }

        for (int i = 0; i < addresses.Length; i++)
        {
            if (addresses[i] == null)
            {
                throw new ProtocolException(ProtocolError.InvalidField, "a null address");
            }
        }

        for (int i = 0; i < served.Length; i++)
        {
            if (served[i] == null)
            {
                throw new ProtocolException(ProtocolError.InvalidField, "a null chain");
            }
        }


        if (signingKey.Length != Ed25519.PublicKeySize || agreementKey.Length != X25519.KeySize)
        {
            throw new ProtocolException(ProtocolError.InvalidKey, "profile keys are 32 bytes each");
        }

        if (wallet != null && wallet.Length != WalletSize)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "a wallet address is " + WalletSize + " bytes");
        }

        SigningKey = signingKey;
        AgreementKey = agreementKey;
        NameBytes = Utf8Text.Truncate(Utf8Text.GetBytes(name), MaxNameBytes);
        Name = Utf8Text.Decode(NameBytes, 0, NameBytes.Length) ?? string.Empty;
        Wallet = wallet;
        Addresses = addresses;
        ServedChains = served;
        NodeId = Identity.NodeId.FromSigningKey(signingKey, 0);
    }

    /// <summary>Ed25519 public key.</summary>
    public byte[] SigningKey { get; }

    /// <summary>X25519 public key.</summary>
    public byte[] AgreementKey { get; }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>Display name as UTF-8.</summary>
    public byte[] NameBytes { get; }

    /// <summary>Ethereum address for tips, or null.</summary>
    public byte[]? Wallet { get; }

    /// <summary>Addresses on chains (flag bit 1), for payments and tips; empty if none.</summary>
    public ChainAddress[] Addresses { get; }

    /// <summary>Chains this node (a gateway) broadcasts to and reads from (flag bit 2); empty if none.</summary>
    public ChainTag[] ServedChains { get; }

    /// <summary>Node id derived from <see cref="SigningKey"/>.</summary>
    public uint NodeId { get; }

    /// <summary>The profile of an identity.</summary>
    public static Profile Of(NodeIdentity identity, string name, byte[]? wallet)
    {
        return new Profile(identity.SigningKey, identity.AgreementKey, name, wallet);
    }

    /// <summary>The profile of an identity with chain addresses and served chains (null: none).</summary>
    public static Profile Of(NodeIdentity identity, string name, byte[]? wallet, ChainAddress[]? addresses, ChainTag[]? served)
    {
        return new Profile(identity.SigningKey, identity.AgreementKey, name, wallet, addresses, served);
    }

    /// <summary>Encoded size.</summary>
    public int EncodedSize
    {
        get
        {
            int size = 32 + 32 + 1 + 1 + NameBytes.Length + (Wallet == null ? 0 : WalletSize);
            if (Addresses.Length > 0)
            {
                size++;
                for (int i = 0; i < Addresses.Length; i++)
                {
                    size += Addresses[i].EncodedSize;
                }
            }

            if (ServedChains.Length > 0)
            {
                size++;
                for (int i = 0; i < ServedChains.Length; i++)
                {
                    size += ServedChains[i].EncodedSize;
                }
            }

            return size;
        }
    }

    /// <summary>Writes signing key, agreement key, flags, name length, name, [wallet], [addresses], [served chains].</summary>
    public void WriteTo(ByteWriter writer)
    {
        int flags = (Wallet == null ? 0 : FlagWallet) | (Addresses.Length == 0 ? 0 : FlagAddresses) | (ServedChains.Length == 0 ? 0 : FlagServedChains);
        writer.WriteBytes(SigningKey);
        writer.WriteBytes(AgreementKey);
        writer.WriteByte(flags);
        writer.WriteByte(NameBytes.Length);
        writer.WriteBytes(NameBytes);
        if (Wallet != null)
        {
            writer.WriteBytes(Wallet);
        }

        if (Addresses.Length > 0)
        {
            writer.WriteByte(Addresses.Length);
            for (int i = 0; i < Addresses.Length; i++)
            {
                Addresses[i].Write(writer);
            }
        }

        if (ServedChains.Length > 0)
        {
            writer.WriteByte(ServedChains.Length);
            for (int i = 0; i < ServedChains.Length; i++)
            {
                ServedChains[i].Write(writer);
            }
        }
    }

    /// <summary>Encodes the profile alone (a profile entry's body).</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(EncodedSize);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>
    /// Decodes a whole profile (a profile entry's body) from untrusted bytes: <see cref="TryRead"/>, then
    /// <see cref="ProtocolError.TrailingBytes"/> if anything follows the last field. Never throws.
    /// </summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, out Profile? profile)
    {
        profile = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            return ProtocolError.Truncated;
        }

        var reader = new ByteReader(data, offset, count);
        Profile? read;
        ProtocolError error = TryRead(reader, out read);
        if (error != ProtocolError.None)
        {
            return error;
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        profile = read;
        return ProtocolError.None;
    }

    /// <summary>Reads a profile from untrusted bytes; never throws.</summary>
    public static ProtocolError TryRead(ByteReader reader, out Profile? profile)
    {
        profile = null;
        byte[]? signingKey = reader.ReadBytes(32);
        byte[]? agreementKey = reader.ReadBytes(32);
        int flags = reader.ReadByte();
        int nameLength = reader.ReadByte();
        if (signingKey == null || agreementKey == null || flags < 0 || nameLength < 0)
        {
            return ProtocolError.Truncated;
        }

        if ((flags & ~(FlagWallet | FlagAddresses | FlagServedChains)) != 0 || nameLength > MaxNameBytes)
        {
            return ProtocolError.InvalidField;
        }

        byte[]? nameBytes = reader.ReadBytes(nameLength);
        if (nameBytes == null)
        {
            return ProtocolError.Truncated;
        }

        string? name = Utf8Text.Decode(nameBytes, 0, nameBytes.Length);
        if (name == null)
        {
            return ProtocolError.InvalidText;
        }

        byte[]? wallet = null;
        if ((flags & FlagWallet) != 0)
        {
            wallet = reader.ReadBytes(WalletSize);
            if (wallet == null)
            {
                return ProtocolError.Truncated;
            }
        }

        ChainAddress[]? addresses = null;
        if ((flags & FlagAddresses) != 0)
        {
            int count = reader.ReadByte();
            if (count < 0)
            {
                return ProtocolError.Truncated;
            }

            if (count < 1 || count > MaxAddresses)
            {
                return ProtocolError.InvalidField;
            }

            addresses = new ChainAddress[count];
            for (int i = 0; i < count; i++)
            {
                ProtocolError error = ChainAddress.TryRead(reader, out ChainAddress? address);
                if (error != ProtocolError.None)
                {
                    return error;
                }

                addresses[i] = address!;
            }
        }

        ChainTag[]? served = null;
        if ((flags & FlagServedChains) != 0)
        {
            int count = reader.ReadByte();
            if (count < 0)
            {
                return ProtocolError.Truncated;
            }

            if (count < 1 || count > MaxServedChains)
            {
                return ProtocolError.InvalidField;
            }

            served = new ChainTag[count];
            for (int i = 0; i < count; i++)
            {
                ProtocolError error = ChainTag.TryRead(reader, out ChainTag? chain);
                if (error != ProtocolError.None)
                {
                    return error;
                }

                served[i] = chain!;
            }
        }

        profile = new Profile(signingKey, agreementKey, name, wallet, addresses, served);
        return ProtocolError.None;
    }
}
