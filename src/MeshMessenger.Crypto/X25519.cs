using System;
using MeshMessenger.Crypto.Curve25519;

namespace MeshMessenger.Crypto;

/// <summary>X25519 Diffie-Hellman (RFC 7748 §5), constant time.</summary>
public static class X25519
{
    public const int KeySize = 32;

    /// <summary>
    /// output = X25519(scalar, u). The scalar is clamped, the top bit of u masked and a non-canonical u reduced,
    /// as RFC 7748 §5 requires. Returns false, with the output zeroed, when the result is all zeros: the peer sent a
    /// low-order point and the "shared" secret would be known to everyone (RFC 7748 §6.1).
    /// </summary>
    public static bool ScalarMult(byte[] scalar, int scalarOffset, byte[] point, int pointOffset, byte[] output, int outputOffset)
    {
        CryptoBytes.CheckRange(scalar, scalarOffset, KeySize, nameof(scalar));
        CryptoBytes.CheckRange(point, pointOffset, KeySize, nameof(point));
        CryptoBytes.CheckRange(output, outputOffset, KeySize, nameof(output));

        var k = new byte[KeySize];
        Array.Copy(scalar, scalarOffset, k, 0, KeySize);
        Clamp(k);

        FieldElement x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
        FieldElement.FromBytes(out x1, point, pointOffset);
        FieldElement.One(out x2);
        FieldElement.Zero(out z2);
        x3 = x1;
        FieldElement.One(out z3);

        // RFC 7748 §5: the Montgomery ladder, swapping by masks on each key bit.
        int swap = 0;
        for (int pos = 254; pos >= 0; pos--)
        {
            int bit = (k[pos >> 3] >> (pos & 7)) & 1;
            swap ^= bit;
            FieldElement.CSwap(ref x2, ref x3, swap);
            FieldElement.CSwap(ref z2, ref z3, swap);
            swap = bit;

            FieldElement.Add(out a, ref x2, ref z2);
            FieldElement.Square(out aa, ref a);
            FieldElement.Sub(out b, ref x2, ref z2);
            FieldElement.Square(out bb, ref b);
            FieldElement.Sub(out e, ref aa, ref bb);
            FieldElement.Add(out c, ref x3, ref z3);
            FieldElement.Sub(out d, ref x3, ref z3);
            FieldElement.Mul(out da, ref d, ref a);
            FieldElement.Mul(out cb, ref c, ref b);
            FieldElement.Add(out t, ref da, ref cb);
            FieldElement.Square(out x3, ref t);
            FieldElement.Sub(out t, ref da, ref cb);
            FieldElement.Square(out t, ref t);
            FieldElement.Mul(out z3, ref x1, ref t);
            FieldElement.Mul(out x2, ref aa, ref bb);
            FieldElement.MulSmall(out t, ref e, 121665); // a24 = (486662 - 2) / 4
            FieldElement.Add(out t, ref aa, ref t);
            FieldElement.Mul(out z2, ref e, ref t);
        }

        FieldElement.CSwap(ref x2, ref x3, swap);
        FieldElement.CSwap(ref z2, ref z3, swap);

        FieldElement.Invert(out z2, ref z2);
        FieldElement.Mul(out x2, ref x2, ref z2);
        FieldElement.ToBytes(ref x2, output, outputOffset);
        CryptoBytes.Wipe(k, 0, k.Length);
        return NotAllZero(output, outputOffset);
    }

    /// <summary>
    /// The public key X25519(scalar, 9), computed on the birationally equivalent Edwards curve with the fixed-base
    /// table (u = (1 + y) / (1 - y), RFC 7748 §4.1), which is several times faster than the ladder.
    /// </summary>
    public static void ScalarMultBase(byte[] scalar, int scalarOffset, byte[] output, int outputOffset)
    {
        CryptoBytes.CheckRange(scalar, scalarOffset, KeySize, nameof(scalar));
        CryptoBytes.CheckRange(output, outputOffset, KeySize, nameof(output));
        var k = new byte[KeySize];
        Array.Copy(scalar, scalarOffset, k, 0, KeySize);
        Clamp(k);

        EdwardsPoint p;
        EdwardsMath.ScalarMultBase(out p, k, 0);

        // With y = Y/Z: u = (Z + Y) / (Z - Y).
        FieldElement num, den;
        FieldElement.Add(out num, ref p.Z, ref p.Y);
        FieldElement.Sub(out den, ref p.Z, ref p.Y);
        FieldElement.Invert(out den, ref den);
        FieldElement.Mul(out num, ref num, ref den);
        FieldElement.ToBytes(ref num, output, outputOffset);
        CryptoBytes.Wipe(k, 0, k.Length);
    }

    /// <summary>RFC 7748 §5 decodeScalar25519: clear the low three bits and the top bit, set bit 254.</summary>
    private static void Clamp(byte[] k)
    {
        k[0] &= 248;
        k[31] &= 127;
        k[31] |= 64;
    }

    private static bool NotAllZero(byte[] output, int offset)
    {
        int acc = 0;
        for (int i = 0; i < KeySize; i++)
        {
            acc |= output[offset + i];
        }

        return acc != 0;
    }
}
