using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Identity;

/// <summary>
/// A node's secret identity. One 32-byte root secret (the backup) yields two independent keys through
/// HKDF-SHA-256 (RFC 5869): an Ed25519 signing key and a separate X25519 agreement key.
/// Separate rather than converting the Ed25519 key to Montgomery form: no key is used by two algorithms
/// (the usual security proofs assume independent keys), the agreement key is bound to the identity by
/// the signed profile anyway, and one backup still restores both.
/// </summary>
public sealed class NodeIdentity
{
    /// <summary>Size of the root secret.</summary>
    public const int RootSecretSize = 32;

    private static readonly byte[] Salt = Utf8Text.GetBytes("MeshMessenger identity v1");
    private static readonly byte[] SigningInfo = Utf8Text.GetBytes("ed25519 signing key");
    private static readonly byte[] AgreementInfo = Utf8Text.GetBytes("x25519 agreement key");

    private readonly byte[] _root;
    private readonly byte[] _signingSeed = new byte[Ed25519.SeedSize];
    private readonly byte[] _agreementSecret = new byte[X25519.KeySize];

    private NodeIdentity(byte[] root)
    {
        _root = root;
        HkdfSha256.DeriveKey(Salt, 0, Salt.Length, root, 0, RootSecretSize, SigningInfo, 0, SigningInfo.Length, _signingSeed, 0, Ed25519.SeedSize);
        HkdfSha256.DeriveKey(Salt, 0, Salt.Length, root, 0, RootSecretSize, AgreementInfo, 0, AgreementInfo.Length, _agreementSecret, 0, X25519.KeySize);
        SigningKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(_signingSeed, 0, SigningKey, 0);
        AgreementKey = new byte[X25519.KeySize];
        X25519.ScalarMultBase(_agreementSecret, 0, AgreementKey, 0);
        Id = NodeId.FromSigningKey(SigningKey, 0);
    }

    /// <summary>The Ed25519 public key.</summary>
    public byte[] SigningKey { get; }

    /// <summary>The X25519 public key.</summary>
    public byte[] AgreementKey { get; }

    /// <summary>The node id derived from <see cref="SigningKey"/>.</summary>
    public uint Id { get; }

    /// <summary>Rebuilds an identity from its root secret (a backup code or a provisioning QR code).</summary>
    public static NodeIdentity FromRootSecret(byte[] rootSecret)
    {
        if (rootSecret == null || rootSecret.Length != RootSecretSize)
        {
            throw new ArgumentException("the root secret is " + RootSecretSize + " bytes", nameof(rootSecret));
        }

        var copy = new byte[RootSecretSize];
        Array.Copy(rootSecret, copy, RootSecretSize);
        return new NodeIdentity(copy);
    }

    /// <summary>Makes a new identity from the platform's secure random source.</summary>
    public static NodeIdentity Generate(IRandomSource random)
    {
        var root = new byte[RootSecretSize];
        random.Fill(root, 0, RootSecretSize);
        return new NodeIdentity(root);
    }

    /// <summary>A copy of the root secret, for the backup code.</summary>
    public byte[] ExportRootSecret()
    {
        var copy = new byte[RootSecretSize];
        Array.Copy(_root, copy, RootSecretSize);
        return copy;
    }

    /// <summary>Signs a message with the Ed25519 key (RFC 8032 §5.1.6).</summary>
    public byte[] Sign(byte[] message, int offset, int count)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_signingSeed, 0, SigningKey, 0, message, offset, count, signature, 0);
        return signature;
    }

    /// <summary>
    /// X25519 with a peer's public key (RFC 7748 §6.1). Returns null when the result is all zeros, that is
    /// when the peer's key has low order, which RFC 7748 §6.1 says to check.
    /// </summary>
    public byte[]? Agree(byte[] peerAgreementKey, int offset)
    {
        var shared = new byte[X25519.KeySize];
        if (!X25519.ScalarMult(_agreementSecret, 0, peerAgreementKey, offset, shared, 0))
        {
            return null;
        }

        return shared;
    }
}
