using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// hash = SHA-256("MeshMessenger entry v1" || author's Ed25519 key || header || body); the signature is
/// Ed25519 over that hash. The key is inside the hash because the wire carries only the 4-byte node id;
/// the signature is outside it, so the chain links do not depend on signature bytes.
/// </summary>
public static class EntryHash
{
    /// <summary>Hash size.</summary>
    public const int Size = Sha256.HashSize;

    private static readonly byte[] Domain = Utf8Text.GetBytes("MeshMessenger entry v1");

    /// <summary>Hash of the signed part of an entry.</summary>
    public static byte[] Compute(byte[] signingKey, byte[] signed, int offset, int count)
    {
        var sha = new Sha256();
        sha.Update(Domain, 0, Domain.Length);
        sha.Update(signingKey, 0, Ed25519.PublicKeySize);
        sha.Update(signed, offset, count);
        var hash = new byte[Size];
        sha.Finish(hash, 0);
        return hash;
    }

    /// <summary>Hash of an entry by the given author key.</summary>
    public static byte[] Of(Entry entry, byte[] signingKey)
    {
        return Compute(signingKey, entry.Encoded, 0, entry.SignedLength);
    }

    /// <summary>True if the signature verifies under <paramref name="signingKey"/> (strict RFC 8032 checks).</summary>
    public static bool Verify(Entry entry, byte[] signingKey, byte[] hash)
    {
        return Ed25519.Verify(signingKey, 0, hash, 0, hash.Length, entry.Encoded, entry.SignedLength);
    }

    /// <summary>The link to put in the next entry: the first <see cref="EntryCodec.LinkSize"/> bytes of a hash.</summary>
    public static byte[] LinkOf(byte[] hash)
    {
        var link = new byte[EntryCodec.LinkSize];
        Array.Copy(hash, link, EntryCodec.LinkSize);
        return link;
    }

    /// <summary>True if <paramref name="link"/> is the link of <paramref name="hash"/>.</summary>
    public static bool Links(byte[] link, byte[] hash)
    {
        return CryptoBytes.ConstantTimeEquals(link, 0, hash, 0, EntryCodec.LinkSize);
    }
}
