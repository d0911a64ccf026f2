using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sealing;

/// <summary>
/// A channel: a name and a 32-byte secret shared by its members (by QR code or link,
/// "MMC1:" + base32 of the secret and the name). Each author seals under their own subkey,
/// HKDF-SHA-256(salt "MeshMessenger channel v1", IKM secret, info author key), so authors never share a
/// (key, nonce) pair even when two of them use the same sequence number. Unlike Meshtastic's AES-CTR
/// channels (anyone holding a Meshtastic channel key can write as any member of it), every channel message is also authenticated (Poly1305) and signed (Ed25519).
/// </summary>
public sealed class ChannelKey
{
    /// <summary>Secret size.</summary>
    public const int SecretSize = 32;

    /// <summary>Prefix of the share text.</summary>
    public const string TextPrefix = "MMC1:";

    private static readonly byte[] Salt = Utf8Text.GetBytes("MeshMessenger channel v1");
    private static readonly byte[] IdDomain = Utf8Text.GetBytes("MeshMessenger channel id");

    private readonly byte[] _secret;

    /// <summary>A channel from its secret.</summary>
    public ChannelKey(string name, byte[] secret)
    {
        if (secret == null || secret.Length != SecretSize)
        {
            throw new ArgumentException("a channel secret is " + SecretSize + " bytes", nameof(secret));
        }

        Name = name;
        _secret = new byte[SecretSize];
        Array.Copy(secret, _secret, SecretSize);
        var sha = new Sha256();
        sha.Update(IdDomain, 0, IdDomain.Length);
        sha.Update(_secret, 0, SecretSize);
        var digest = new byte[Sha256.HashSize];
        sha.Finish(digest, 0);
        Id = CryptoBytes.LoadUInt32BigEndian(digest, 0);
    }

    /// <summary>The channel's display name (not secret, not sent on air).</summary>
    public string Name { get; }

    /// <summary>Channel id: first 4 bytes of SHA-256("MeshMessenger channel id" || secret).</summary>
    public uint Id { get; }

    /// <summary>The one-byte hint carried by channel entries: the id's low byte.</summary>
    public byte Hint => (byte)Id;

    /// <summary>A new channel with a random secret.</summary>
    public static ChannelKey Create(string name, IRandomSource random)
    {
        var secret = new byte[SecretSize];
        random.Fill(secret, 0, SecretSize);
        return new ChannelKey(name, secret);
    }

    /// <summary>The sealing key of one author in this channel.</summary>
    public byte[] AuthorKey(byte[] authorSigningKey)
    {
        var key = new byte[32];
        HkdfSha256.DeriveKey(Salt, 0, Salt.Length, _secret, 0, SecretSize, authorSigningKey, 0, 32, key, 0, key.Length);
        return key;
    }

    /// <summary>The share text "MMC1:" + base32(secret || name).</summary>
    public string ToText()
    {
        byte[] name = Utf8Text.Truncate(Utf8Text.GetBytes(Name), 32);
        var data = new byte[SecretSize + name.Length];
        Array.Copy(_secret, data, SecretSize);
        Array.Copy(name, 0, data, SecretSize, name.Length);
        return TextPrefix + Base32.Encode(data, 0, data.Length);
    }

    /// <summary>Parses a share text; never throws.</summary>
    public static ProtocolError TryParse(string text, out ChannelKey? channel)
    {
        channel = null;
        text = text.Trim();
        if (text.Length < TextPrefix.Length || text.Substring(0, TextPrefix.Length).ToUpper() != TextPrefix)
        {
            return ProtocolError.UnsupportedVersion;
        }

        byte[]? data = Base32.Decode(text.Substring(TextPrefix.Length), SecretSize + 32);
        if (data == null || data.Length < SecretSize)
        {
            return ProtocolError.InvalidField;
        }

        string? name = Utf8Text.Decode(data, SecretSize, data.Length - SecretSize);
        if (name == null)
        {
            return ProtocolError.InvalidText;
        }

        var secret = new byte[SecretSize];
        Array.Copy(data, secret, SecretSize);
        channel = new ChannelKey(name, secret);
        return ProtocolError.None;
    }
}
