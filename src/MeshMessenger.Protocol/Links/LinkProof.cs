using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Links;

/// <summary>
/// A device's answer to a <see cref="LinkChallenge"/>: proof that the sender holds the node's signing key,
/// and a receipt saying which listed entries it now holds (docs/protocol.md §5.4). Sent with hop limit 0.
/// <code>
/// node id 4 | nonce 16 | held bitmap 4 (bit i = item i of the challenge) | signature 64
/// proof_hash = SHA-256("MeshMessenger link proof v1" || SHA-256(challenge payload) || node id || bitmap)
/// signature  = Ed25519(node key, proof_hash)
/// </code>
/// The whole challenge payload (gateway id, nonce, list) is bound, so a proof answers that one challenge
/// only; the domain string keeps it from ever being taken for an entry signature (those sign
/// "MeshMessenger entry v1" hashes, §3.3).
/// </summary>
public sealed class LinkProof
{
    /// <summary>Encoded size: every field is fixed.</summary>
    public const int Size = 4 + LinkChallenge.NonceSize + 4 + Ed25519.SignatureSize;

    private static readonly byte[] Domain = Utf8Text.GetBytes("MeshMessenger link proof v1");

    /// <summary>Creates a proof from its fields.</summary>
    public LinkProof(uint node, byte[] nonce, uint held, byte[] signature)
    {
        if (nonce == null || nonce.Length != LinkChallenge.NonceSize || signature == null || signature.Length != Ed25519.SignatureSize)
        {
            throw new ArgumentException("a 16-byte nonce and a 64-byte signature");
        }

        Node = node;
        Nonce = nonce;
        Held = held;
        Signature = signature;
    }

    /// <summary>The node that answers.</summary>
    public uint Node { get; }

    /// <summary>The nonce of the challenge answered, so the challenger can find it.</summary>
    public byte[] Nonce { get; }

    /// <summary>Bit i set: the node holds item i of the challenge.</summary>
    public uint Held { get; }

    /// <summary>Ed25519 over <see cref="HashOf"/>.</summary>
    public byte[] Signature { get; }

    /// <summary>Answers a challenge (its encoded payload <paramref name="challengePayload"/>) as <paramref name="identity"/>.</summary>
    public static LinkProof Answer(NodeIdentity identity, byte[] challengePayload, byte[] nonce, uint held)
    {
        byte[] hash = HashOf(challengePayload, identity.Id, held);
        return new LinkProof(identity.Id, nonce, held, identity.Sign(hash, 0, hash.Length));
    }

    /// <summary>The 32 bytes a proof signs.</summary>
    public static byte[] HashOf(byte[] challengePayload, uint node, uint held)
    {
        var challengeHash = new byte[Sha256.HashSize];
        Sha256.Hash(challengePayload, 0, challengePayload.Length, challengeHash, 0);
        var tail = new byte[8];
        CryptoBytes.StoreUInt32BigEndian(node, tail, 0);
        CryptoBytes.StoreUInt32BigEndian(held, tail, 4);
        var sha = new Sha256();
        sha.Update(Domain, 0, Domain.Length);
        sha.Update(challengeHash, 0, challengeHash.Length);
        sha.Update(tail, 0, tail.Length);
        var hash = new byte[Sha256.HashSize];
        sha.Finish(hash, 0);
        return hash;
    }

    /// <summary>True if item <paramref name="index"/> of the challenge is held.</summary>
    public bool Holds(int index)
    {
        return index >= 0 && index < LinkChallenge.MaxItems && ((Held >> index) & 1) != 0;
    }

    /// <summary>
    /// True if this proof answers exactly <paramref name="challengePayload"/> (same nonce, signature over its
    /// hash) and is signed by <paramref name="signingKey"/>, the key whose node id is <see cref="Node"/>.
    /// </summary>
    public bool Verify(ISignatureVerifier verifier, byte[] signingKey, byte[] challengePayload)
    {
        if (signingKey == null || signingKey.Length != Ed25519.PublicKeySize || challengePayload == null
            || challengePayload.Length < LinkChallenge.EmptySize || NodeId.FromSigningKey(signingKey, 0) != Node
            || !CryptoBytes.ConstantTimeEquals(Nonce, 0, challengePayload, 4, LinkChallenge.NonceSize))
        {
            return false;
        }

        return verifier.Verify(signingKey, HashOf(challengePayload, Node, Held), Signature, 0);
    }

    /// <summary>The wire form.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(Size);
        writer.WriteUInt32(Node);
        writer.WriteBytes(Nonce);
        writer.WriteUInt32(Held);
        writer.WriteBytes(Signature);
        return writer.ToArray();
    }

    /// <summary>Decodes untrusted bytes; never throws. The length is exact.</summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, out LinkProof? proof)
    {
        proof = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count || count < Size)
        {
            return ProtocolError.Truncated;
        }

        if (count > Size)
        {
            return ProtocolError.TrailingBytes;
        }

        var reader = new ByteReader(data, offset, count);
        uint node;
        uint held;
        reader.TryReadUInt32(out node);
        byte[] nonce = reader.ReadBytes(LinkChallenge.NonceSize)!;
        reader.TryReadUInt32(out held);
        byte[] signature = reader.ReadBytes(Ed25519.SignatureSize)!;
        proof = new LinkProof(node, nonce, held, signature);
        return ProtocolError.None;
    }
}
