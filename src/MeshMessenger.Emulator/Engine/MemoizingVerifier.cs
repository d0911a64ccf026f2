using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Emulator.Engine;

/// <summary>
/// Ed25519 verification shared by all virtual devices of a run: the first device to check a (key, hash,
/// signature) triple pays for it, the rest get the same answer. Verification is a pure function, so this
/// changes the emulator's cost, not any device's behaviour.
/// </summary>
public sealed class MemoizingVerifier : ISignatureVerifier
{
    private readonly Ed25519SignatureVerifier _inner = new();
    private readonly Dictionary<string, bool> _results = new(StringComparer.Ordinal);

    /// <summary>Verifications actually computed.</summary>
    public int Computed { get; private set; }

    /// <summary>Verifications answered from memory.</summary>
    public long Reused { get; private set; }

    /// <inheritdoc />
    public bool Verify(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset)
    {
        string key = Convert.ToBase64String(publicKey) + Convert.ToBase64String(hash) + Convert.ToBase64String(signature, signatureOffset, 64);
        if (_results.TryGetValue(key, out bool known))
        {
            Reused++;
            return known;
        }

        Computed++;
        bool result = _inner.Verify(publicKey, hash, signature, signatureOffset);
        _results[key] = result;
        return result;
    }
}
