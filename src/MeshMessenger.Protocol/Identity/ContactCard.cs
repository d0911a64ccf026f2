using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Identity;

/// <summary>
/// A signed contact card: version, <see cref="Profile"/>, Ed25519 signature over
/// "MeshMessenger card v1" || version || profile. Text form "MM1:" + base32 (upper case, so QR codes use
/// alphanumeric mode). A card with the version-1 profile fields only is at most 183 bytes, 297 characters; with
/// chain addresses and served chains at most 345 bytes, 556 characters.
/// </summary>
public sealed class ContactCard
{
    /// <summary>Card format version.</summary>
    public const int Version = 1;

    /// <summary>Prefix of the text form.</summary>
    public const string TextPrefix = "MM1:";

    /// <summary>Largest binary card.</summary>
    public const int MaxSize = 1 + Profile.MaxSize + Ed25519.SignatureSize;

    private static readonly byte[] Domain = Utf8Text.GetBytes("MeshMessenger card v1");

    private ContactCard(Profile profile, byte[] encoded)
    {
        Profile = profile;
        Encoded = encoded;
    }

    /// <summary>The keys, name and wallet the card vouches for.</summary>
    public Profile Profile { get; }

    /// <summary>The signed binary card.</summary>
    public byte[] Encoded { get; }

    /// <summary>Signs a card for <paramref name="identity"/>.</summary>
    public static ContactCard Create(NodeIdentity identity, string name, byte[]? wallet)
    {
        return Create(identity, name, wallet, null, null);
    }

    /// <summary>Signs a card for <paramref name="identity"/> that also lists chain addresses and served chains (null: none).</summary>
    public static ContactCard Create(NodeIdentity identity, string name, byte[]? wallet, ChainAddress[]? addresses, ChainTag[]? served)
    {
        var profile = Profile.Of(identity, name, wallet, addresses, served);
        var writer = new ByteWriter(1 + profile.EncodedSize + Ed25519.SignatureSize);
        writer.WriteByte(Version);
        profile.WriteTo(writer);
        byte[] signature = identity.Sign(SignedMessage(writer.Buffer, writer.Length), 0, Domain.Length + writer.Length);
        writer.WriteBytes(signature);
        return new ContactCard(profile, writer.ToArray());
    }

    /// <summary>The text form for QR codes and links.</summary>
    public string ToText()
    {
        return TextPrefix + Base32.Encode(Encoded, 0, Encoded.Length);
    }

    /// <summary>Decodes and verifies a binary card; never throws.</summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, out ContactCard? card)
    {
        card = null;
        if (count > MaxSize)
        {
            return ProtocolError.TooLarge;
        }

        var reader = new ByteReader(data, offset, count);
        int version = reader.ReadByte();
        if (version < 0)
        {
            return ProtocolError.Truncated;
        }

        if (version != Version)
        {
            return ProtocolError.UnsupportedVersion;
        }

        Profile? profile;
        ProtocolError error = Profile.TryRead(reader, out profile);
        if (error != ProtocolError.None)
        {
            return error;
        }

        int signedLength = reader.Position - offset;
        if (reader.Remaining < Ed25519.SignatureSize)
        {
            return ProtocolError.Truncated;
        }

        if (reader.Remaining > Ed25519.SignatureSize)
        {
            return ProtocolError.TrailingBytes;
        }

        var signed = new byte[signedLength];
        Array.Copy(data, offset, signed, 0, signedLength);
        byte[] message = SignedMessage(signed, signedLength);
        if (!Ed25519.Verify(profile!.SigningKey, 0, message, 0, message.Length, data, reader.Position))
        {
            return ProtocolError.BadSignature;
        }

        var encoded = new byte[count];
        Array.Copy(data, offset, encoded, 0, count);
        card = new ContactCard(profile, encoded);
        return ProtocolError.None;
    }

    /// <summary>Decodes the text form ("MM1:" + base32, case-insensitive); never throws.</summary>
    public static ProtocolError TryParse(string text, out ContactCard? card)
    {
        card = null;
        text = text.Trim();
        if (text.Length < TextPrefix.Length || text.Substring(0, TextPrefix.Length).ToUpper() != TextPrefix)
        {
            return ProtocolError.UnsupportedVersion;
        }

        byte[]? data = Base32.Decode(text.Substring(TextPrefix.Length), MaxSize);
        if (data == null)
        {
            return ProtocolError.InvalidField;
        }

        return TryDecode(data, 0, data.Length, out card);
    }

    private static byte[] SignedMessage(byte[] body, int count)
    {
        var message = new byte[Domain.Length + count];
        Array.Copy(Domain, message, Domain.Length);
        Array.Copy(body, 0, message, Domain.Length, count);
        return message;
    }
}
