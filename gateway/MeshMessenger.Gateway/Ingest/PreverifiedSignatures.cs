using System.Collections.Concurrent;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Gateway.Ingest;

/// <summary>
/// Lets signature checks run on the callers' threads, in parallel, before the single writer: a caller that
/// already knows the author's key verifies the entry and records (key, hash, signature) here; the writer's
/// chain store then finds the record instead of verifying again. Only exact matches count, and each record
/// is used once. Unknown keys and misses fall through to a real verification, so nothing is trusted that
/// was not verified.
/// </summary>
public sealed class PreverifiedSignatures(ISignatureVerifier inner) : ISignatureVerifier
{
    /// <summary>Records kept at most; beyond it the set is cleared (misses only cost a second verification).</summary>
    public const int Capacity = 65536;

    private readonly ConcurrentDictionary<string, byte> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, byte[]> _keys = new();

    /// <summary>Signing keys the writer has seen verified, by node id.</summary>
    public void RememberKey(uint author, byte[] signingKey) => _keys[author] = signingKey;

    /// <summary>The author's key, if known.</summary>
    public byte[]? KeyOf(uint author) => _keys.TryGetValue(author, out byte[]? key) ? key : null;

    /// <summary>Verifies now, on the caller's thread, and records a success for the writer.</summary>
    public void Preverify(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset)
    {
        if (inner.Verify(publicKey, hash, signature, signatureOffset))
        {
            if (_verified.Count >= Capacity)
            {
                _verified.Clear();
            }

            _verified[Key(publicKey, hash, signature, signatureOffset)] = 0;
        }
    }

    /// <inheritdoc />
    public bool Verify(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset) =>
        _verified.TryRemove(Key(publicKey, hash, signature, signatureOffset), out _) || inner.Verify(publicKey, hash, signature, signatureOffset);

    private static string Key(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset)
    {
        Span<byte> all = stackalloc byte[32 + 32 + 64];
        publicKey.AsSpan(0, 32).CopyTo(all);
        hash.AsSpan(0, 32).CopyTo(all[32..]);
        signature.AsSpan(signatureOffset, 64).CopyTo(all[64..]);
        return Convert.ToBase64String(all);
    }
}
