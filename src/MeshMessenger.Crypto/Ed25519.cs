using System;
using MeshMessenger.Crypto.Curve25519;

namespace MeshMessenger.Crypto;

/// <summary>
/// Ed25519 signatures (RFC 8032 §5.1, pure variant, no context). Key generation and signing are constant time;
/// verification is strict (canonical encodings, S &lt; L, no small-order keys or R) and runs in variable time on
/// public data only.
/// </summary>
public static class Ed25519
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    /// <summary>
    /// Chooses the fixed-base table behind key generation, signing and <see cref="X25519.ScalarMultBase"/>.
    /// False (the default): 64 rows of 8 points, 61,440 bytes of field limbs built on first use, one point
    /// addition per radix-16 digit. True: one row of 8 points (960 bytes) and four doublings per digit, about
    /// 3.8 times the field operations per signature (docs/device-cost.md §4). Results are identical; a device with a
    /// small managed heap sets it once at start-up. Setting it drops the large table. Verification never uses it.
    /// </summary>
    public static bool CompactBaseTable
    {
        get
        {
            return EdwardsMath.CompactBase;
        }

        set
        {
            EdwardsMath.CompactBase = value;
        }
    }

    /// <summary>Bytes of field limbs the fixed-base tables hold now: 960 in compact mode or before first use, 61,440 after.</summary>
    public static int FixedBaseTableBytes => EdwardsMath.FixedBaseTableBytes();

    /// <summary>RFC 8032 §5.1.5: A = [s]B where s is the clamped first half of SHA-512(seed).</summary>
    public static void GeneratePublicKey(byte[] seed, int seedOffset, byte[] publicKey, int publicKeyOffset)
    {
        CryptoBytes.CheckRange(seed, seedOffset, SeedSize, nameof(seed));
        CryptoBytes.CheckRange(publicKey, publicKeyOffset, PublicKeySize, nameof(publicKey));
        var h = new byte[Sha512.HashSize];
        ExpandSeed(seed, seedOffset, h);
        EdwardsPoint a;
        EdwardsMath.ScalarMultBase(out a, h, 0);
        EdwardsMath.Encode(ref a, publicKey, publicKeyOffset);
        CryptoBytes.Wipe(h, 0, h.Length);
    }

    /// <summary>RFC 8032 §5.1.6. <paramref name="publicKey"/> must be the key of <paramref name="seed"/>.</summary>
    public static void Sign(byte[] seed, int seedOffset, byte[] publicKey, int publicKeyOffset, byte[] message, int messageOffset, int messageCount, byte[] signature, int signatureOffset)
    {
        CryptoBytes.CheckRange(seed, seedOffset, SeedSize, nameof(seed));
        CryptoBytes.CheckRange(publicKey, publicKeyOffset, PublicKeySize, nameof(publicKey));
        CryptoBytes.CheckRange(message, messageOffset, messageCount, nameof(message));
        CryptoBytes.CheckRange(signature, signatureOffset, SignatureSize, nameof(signature));

        var h = new byte[Sha512.HashSize];
        ExpandSeed(seed, seedOffset, h);

        // Step 2: r = SHA-512(prefix || M) mod L, the deterministic nonce.
        var sha = new Sha512();
        var digest = new byte[Sha512.HashSize];
        sha.Update(h, 32, 32);
        sha.Update(message, messageOffset, messageCount);
        sha.Finish(digest, 0);
        var r = new byte[32];
        Scalar25519.Reduce(digest, 0, r, 0);

        // Step 3: R = [r]B.
        EdwardsPoint bigR;
        EdwardsMath.ScalarMultBase(out bigR, r, 0);
        var rEncoded = new byte[32];
        EdwardsMath.Encode(ref bigR, rEncoded, 0);

        // Step 4: k = SHA-512(R || A || M) mod L. Step 5: S = (r + k * s) mod L.
        var k = new byte[32];
        Challenge(rEncoded, 0, publicKey, publicKeyOffset, message, messageOffset, messageCount, k);
        var s = new byte[32];
        Scalar25519.MulAdd(k, 0, h, 0, r, 0, s, 0);

        Array.Copy(rEncoded, 0, signature, signatureOffset, 32);
        Array.Copy(s, 0, signature, signatureOffset + 32, 32);
        CryptoBytes.Wipe(h, 0, h.Length);
        CryptoBytes.Wipe(digest, 0, digest.Length);
        CryptoBytes.Wipe(r, 0, r.Length);
    }

    /// <summary>RFC 8032 §5.1.7 with the strict checks; returns false for any malformed key or signature.</summary>
    public static bool Verify(byte[] publicKey, int publicKeyOffset, byte[] message, int messageOffset, int messageCount, byte[] signature, int signatureOffset)
    {
        CryptoBytes.CheckRange(publicKey, publicKeyOffset, PublicKeySize, nameof(publicKey));
        CryptoBytes.CheckRange(message, messageOffset, messageCount, nameof(message));
        CryptoBytes.CheckRange(signature, signatureOffset, SignatureSize, nameof(signature));

        EdwardsPoint a;
        if (!DecodeStrict(publicKey, publicKeyOffset, signature, signatureOffset, out a))
        {
            return false;
        }

        var k = new byte[32];
        Challenge(signature, signatureOffset, publicKey, publicKeyOffset, message, messageOffset, messageCount, k);

        // [S]B - [k]A must encode to exactly the R bytes (cofactorless equation).
        EdwardsPoint minusA, check;
        EdwardsMath.Negate(out minusA, ref a);
        EdwardsMath.DoubleScalarMultVartime(out check, k, 0, ref minusA, signature, signatureOffset + 32);
        var encoded = new byte[32];
        EdwardsMath.Encode(ref check, encoded, 0);
        return CryptoBytes.ConstantTimeEquals(encoded, 0, signature, signatureOffset, 32);
    }

    /// <summary>
    /// The strict rules of <see cref="Verify"/> that come before its equation (docs/protocol.md §3.3, rules 1-4): S &lt; L,
    /// A and R canonical encodings of points on the curve, neither of small order. For a verifier that checks only
    /// the equation (WebCrypto in chromium accepts small-order and non-canonical A and small-order R): a signature it
    /// accepted is valid here only if this also holds.
    /// </summary>
    public static bool HasStrictEncodings(byte[] publicKey, int publicKeyOffset, byte[] signature, int signatureOffset)
    {
        CryptoBytes.CheckRange(publicKey, publicKeyOffset, PublicKeySize, nameof(publicKey));
        CryptoBytes.CheckRange(signature, signatureOffset, SignatureSize, nameof(signature));
        EdwardsPoint a;
        return DecodeStrict(publicKey, publicKeyOffset, signature, signatureOffset, out a);
    }

    private static bool DecodeStrict(byte[] publicKey, int publicKeyOffset, byte[] signature, int signatureOffset, out EdwardsPoint a)
    {
        // S >= L would let anyone make a second valid signature from a first one (malleability).
        if (!Scalar25519.IsCanonical(signature, signatureOffset + 32))
        {
            EdwardsMath.Identity(out a);
            return false;
        }

        // Small-order A or R: such a "key" verifies signatures its holder never made for many messages, which
        // breaks non-repudiation and lets a key be substituted; refuse them, as libsodium does.
        if (!EdwardsMath.Decode(out a, publicKey, publicKeyOffset) || EdwardsMath.IsSmallOrderVartime(ref a))
        {
            return false;
        }

        EdwardsPoint rPoint;
        return EdwardsMath.Decode(out rPoint, signature, signatureOffset) && !EdwardsMath.IsSmallOrderVartime(ref rPoint);
    }

    /// <summary>RFC 8032 §5.1.5 steps 1-2: h = SHA-512(seed); clamp the low half into the secret scalar.</summary>
    private static void ExpandSeed(byte[] seed, int seedOffset, byte[] h)
    {
        Sha512.Hash(seed, seedOffset, SeedSize, h, 0);
        h[0] &= 248;
        h[31] &= 127;
        h[31] |= 64;
    }

    private static void Challenge(byte[] r, int rOffset, byte[] publicKey, int publicKeyOffset, byte[] message, int messageOffset, int messageCount, byte[] k)
    {
        var sha = new Sha512();
        var digest = new byte[Sha512.HashSize];
        sha.Update(r, rOffset, 32);
        sha.Update(publicKey, publicKeyOffset, PublicKeySize);
        sha.Update(message, messageOffset, messageCount);
        sha.Finish(digest, 0);
        Scalar25519.Reduce(digest, 0, k, 0);
    }
}
