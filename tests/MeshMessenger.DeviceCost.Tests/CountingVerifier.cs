using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.DeviceCost;

/// <summary>The real Ed25519 verifier, counting its calls: how many signatures a device checked.</summary>
public sealed class CountingVerifier : ISignatureVerifier
{
    private readonly Ed25519SignatureVerifier _inner = new();

    /// <summary>Verifications so far.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc />
    public bool Verify(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset)
    {
        Calls++;
        return _inner.Verify(publicKey, hash, signature, signatureOffset);
    }
}
