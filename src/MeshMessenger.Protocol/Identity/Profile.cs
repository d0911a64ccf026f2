using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Identity;

/// <summary>
/// What a node says about itself: its two public keys, a display name and an optional wallet address.
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

    /// <summary>Largest encoding: keys, flags, name length, name, wallet.</summary>
    public const int MaxSize = 32 + 32 + 1 + 1 + MaxNameBytes + WalletSize;

    private const int FlagWallet = 0x01;

    /// <summary>Creates a profile; the name is cut to <see cref="MaxNameBytes"/> on a character boundary.</summary>
    public Profile(byte[] signingKey, byte[] agreementKey, string name, byte[]? wallet)
    {
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
        Name = System.Text.Encoding.UTF8.GetString(NameBytes, 0, NameBytes.Length);
        Wallet = wallet;
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

    /// <summary>Node id derived from <see cref="SigningKey"/>.</summary>
    public uint NodeId { get; }

    /// <summary>The profile of an identity.</summary>
    public static Profile Of(NodeIdentity identity, string name, byte[]? wallet)
    {
        return new Profile(identity.SigningKey, identity.AgreementKey, name, wallet);
    }

    /// <summary>Encoded size.</summary>
    public int EncodedSize => 32 + 32 + 1 + 1 + NameBytes.Length + (Wallet == null ? 0 : WalletSize);

    /// <summary>Writes signing key, agreement key, flags, name length, name, [wallet].</summary>
    public void WriteTo(ByteWriter writer)
    {
        writer.WriteBytes(SigningKey);
        writer.WriteBytes(AgreementKey);
        writer.WriteByte(Wallet == null ? 0 : FlagWallet);
        writer.WriteByte(NameBytes.Length);
        writer.WriteBytes(NameBytes);
        if (Wallet != null)
        {
            writer.WriteBytes(Wallet);
        }
    }

    /// <summary>Encodes the profile alone (a profile entry's body).</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(EncodedSize);
        WriteTo(writer);
        return writer.ToArray();
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

        if ((flags & ~FlagWallet) != 0 || nameLength > MaxNameBytes)
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

        profile = new Profile(signingKey, agreementKey, name, wallet);
        return ProtocolError.None;
    }
}
