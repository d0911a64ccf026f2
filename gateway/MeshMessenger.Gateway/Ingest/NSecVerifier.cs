using MeshMessenger.Protocol.Platform;
using NSec.Cryptography;

namespace MeshMessenger.Gateway.Ingest;

/// <summary>
/// Ed25519 verification through libsodium (NSec) for the gateway, about three times the managed code's
/// rate on the same core. A test runs it and the managed verifier over every Wycheproof Ed25519 vector and
/// requires the same answer; keys that do not import (not a point) are refused.
/// </summary>
public sealed class NSecVerifier : ISignatureVerifier
{
    /// <inheritdoc />
    public bool Verify(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset)
    {
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? key) || key is null)
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(key, hash, signature.AsSpan(signatureOffset, 64));
    }
}
