using System.Numerics;
using System.Security.Cryptography;
using MeshMessenger.Crypto;

namespace MeshMessenger.Protocol.Tests.Support;

/// <summary>
/// Makes Ed25519 signatures that break exactly one strict rule of docs/protocol.md §3.3 while still satisfying
/// the equation a lax verifier checks, so a negative vector is refused for its stated reason only. Uses the
/// fixed test roots' secret scalars, which only tests know (RFC 8032 §5.1.5: a = clamp(SHA-512(seed)[0..32])).
/// </summary>
internal static class Ed25519Forgery
{
    /// <summary>L, the order of the base point (RFC 8032 §5.1).</summary>
    public static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    /// <summary>The identity point (0, 1): small order, canonical encoding.</summary>
    public static byte[] Identity => [1, .. new byte[31]];

    /// <summary>(0, 1) with the sign bit of x set: RFC 8032 §5.1.3 step 4 refuses it (x = 0 and x_0 = 1).</summary>
    public static byte[] NegativeZeroIdentity
    {
        get
        {
            byte[] b = Identity;
            b[31] = 0x80;
            return b;
        }
    }

    /// <summary>y = p + 1 = 2^255 − 18, little-endian: a non-canonical encoding of the identity (y ≥ p).</summary>
    public static byte[] NonCanonicalIdentity
    {
        get
        {
            byte[] b = Enumerable.Repeat((byte)0xFF, 32).ToArray();
            b[0] = 0xEE;
            b[31] = 0x7F;
            return b;
        }
    }

    /// <summary>The encoding of the base point B (RFC 8032 §5.1).</summary>
    public static byte[] BasePoint => Convert.FromHexString("5866666666666666666666666666666666666666666666666666666666666666");

    /// <summary>The same signature with S replaced by S + L: the same scalar mod L, refused by S &lt; L.</summary>
    public static byte[] PlusL(byte[] signature)
    {
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true);
        byte[] result = (byte[])signature.Clone();
        Array.Clear(result, 32, 32);
        (s + L).ToByteArray(isUnsigned: true).CopyTo(result, 32);
        return result;
    }

    /// <summary>
    /// A signature (R, S) by the holder of root <paramref name="fill"/>×32 with the given R bytes, S = k·a mod L,
    /// k = SHA-512(R ‖ A ‖ M) mod L: then [S]B − [k]A is the identity, so with R an encoding of the identity the
    /// cofactorless equation holds for a verifier that decodes R laxly.
    /// </summary>
    public static byte[] WithIdentityR(byte fill, byte[] r, byte[] message)
    {
        var identity = Identities.Fixed(fill);
        BigInteger a = SecretScalar(Enumerable.Repeat(fill, 32).ToArray());
        BigInteger k = new BigInteger(SHA512.HashData([.. r, .. identity.SigningKey, .. message]), isUnsigned: true) % L;
        byte[] signature = new byte[64];
        r.CopyTo(signature, 0);
        ((k * a) % L).ToByteArray(isUnsigned: true).CopyTo(signature, 32);
        return signature;
    }

    /// <summary>(R = B, S = 1): valid for every message under a public key that decodes to the identity, since [1]B − [k]·O = B.</summary>
    public static byte[] ForIdentityKey() => [.. BasePoint, 1, .. new byte[31]];

    private static BigInteger SecretScalar(byte[] root)
    {
        // docs/protocol.md §2.1: seed = HKDF-SHA-256(salt "MeshMessenger identity v1", root, info "ed25519 signing key", 32).
        byte[] salt = "MeshMessenger identity v1"u8.ToArray();
        byte[] info = "ed25519 signing key"u8.ToArray();
        byte[] seed = new byte[32];
        HkdfSha256.DeriveKey(salt, 0, salt.Length, root, 0, 32, info, 0, info.Length, seed, 0, 32);
        byte[] h = SHA512.HashData(seed);
        h[0] &= 248;
        h[31] &= 127;
        h[31] |= 64;
        return new BigInteger(h.AsSpan(0, 32), isUnsigned: true);
    }
}
