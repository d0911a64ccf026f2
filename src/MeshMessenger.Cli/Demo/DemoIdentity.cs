using System.Security.Cryptography;
using MeshMessenger.Crypto;

namespace MeshMessenger.Cli.Demo;

/// <summary>
/// A demo identity: an Ed25519 signing key and a separate X25519 agreement key, both from the managed subset
/// crypto, and a node id taken from the signing key (never from hardware addresses, unlike Meshtastic).
/// </summary>
public sealed class DemoIdentity
{
    private DemoIdentity(string name, byte[] signingSeed, byte[] agreementPrivateKey)
    {
        Name = name;
        SigningSeed = signingSeed;
        AgreementPrivateKey = agreementPrivateKey;
        SigningPublicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(signingSeed, 0, SigningPublicKey, 0);
        AgreementPublicKey = new byte[X25519.KeySize];
        X25519.ScalarMultBase(agreementPrivateKey, 0, AgreementPublicKey, 0);
        var digest = new byte[Sha256.HashSize];
        Sha256.Hash(SigningPublicKey, 0, SigningPublicKey.Length, digest, 0);
        NodeId = digest[..8];
    }

    public string Name { get; }

    public byte[] SigningSeed { get; }

    public byte[] SigningPublicKey { get; }

    public byte[] AgreementPrivateKey { get; }

    public byte[] AgreementPublicKey { get; }

    /// <summary>First 8 bytes of SHA-256 of the Ed25519 public key.</summary>
    public byte[] NodeId { get; }

    public string NodeIdHex => Convert.ToHexStringLower(NodeId);

    public static DemoIdentity Create(string name) =>
        new(name, RandomNumberGenerator.GetBytes(Ed25519.SeedSize), RandomNumberGenerator.GetBytes(X25519.KeySize));
}
