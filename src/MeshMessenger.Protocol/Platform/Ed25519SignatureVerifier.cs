using MeshMessenger.Crypto;

namespace MeshMessenger.Protocol.Platform;

/// <summary>Strict RFC 8032 verification with the managed Ed25519.</summary>
public sealed class Ed25519SignatureVerifier : ISignatureVerifier
{
    /// <inheritdoc />
    public bool Verify(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset)
    {
        return Ed25519.Verify(publicKey, 0, hash, 0, hash.Length, signature, signatureOffset);
    }
}
