namespace MeshMessenger.Crypto.Curve25519;

/// <summary>
/// Arithmetic modulo the group order L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1),
/// on byte-sized limbs held in 64-bit integers. Reduction uses 2^256 = -16 * (L - 2^252) (mod L) to fold the
/// top bytes down; every step is a fixed sequence of multiplies, shifts and masks (constant time).
/// </summary>
internal static class Scalar25519
{
    /// <summary>L, little-endian.</summary>
    internal static readonly byte[] Order =
    {
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    };

    /// <summary>out = in mod L for a 64-byte little-endian value (RFC 8032 §5.1.6 step 2 and §5.1.7 step 2).</summary>
    public static void Reduce(byte[] input, int inputOffset, byte[] output, int outputOffset)
    {
        var x = new long[64];
        for (int i = 0; i < 64; i++)
        {
            x[i] = input[inputOffset + i];
        }

        ReduceLimbs(x, output, outputOffset);
    }

    /// <summary>out = (a * b + c) mod L, for 32-byte little-endian a, b, c (RFC 8032 §5.1.6 step 5).</summary>
    public static void MulAdd(byte[] a, int aOffset, byte[] b, int bOffset, byte[] c, int cOffset, byte[] output, int outputOffset)
    {
        var x = new long[64];
        for (int i = 0; i < 32; i++)
        {
            x[i] = c[cOffset + i];
        }

        for (int i = 0; i < 32; i++)
        {
            long ai = a[aOffset + i];
            for (int j = 0; j < 32; j++)
            {
                x[i + j] += ai * b[bOffset + j];
            }
        }

        for (int i = 0; i < 63; i++)
        {
            long carry = x[i] >> 8;
            x[i] -= carry << 8;
            x[i + 1] += carry;
        }

        ReduceLimbs(x, output, outputOffset);
    }

    /// <summary>True when the 32-byte little-endian value is below L (RFC 8032 §5.1.7: reject S &gt;= L). Public data.</summary>
    public static bool IsCanonical(byte[] s, int offset)
    {
        for (int i = 31; i >= 0; i--)
        {
            if (s[offset + i] < Order[i])
            {
                return true;
            }

            if (s[offset + i] > Order[i])
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Reduces 64 byte-limbs (each in [0, 256)) modulo L into 32 bytes.</summary>
    private static void ReduceLimbs(long[] x, byte[] output, int outputOffset)
    {
        // Fold byte i >= 32: x[i] * 256^i = x[i] * 256^(i-32) * 2^256 = -16 * x[i] * l0 * 256^(i-32) (mod L),
        // where l0 = L - 2^252 has 16 bytes. Carry through the 16 touched bytes and leave the last carry in the
        // byte above them; it is folded in a later round or by the final step.
        for (int i = 63; i >= 32; i--)
        {
            long v = x[i];
            x[i] = 0;
            for (int k = 0; k < 16; k++)
            {
                x[i - 32 + k] -= 16 * v * Order[k];
            }

            for (int j = i - 32; j < i - 16; j++)
            {
                long carry = x[j] >> 8;
                x[j] -= carry << 8;
                x[j + 1] += carry;
            }
        }

        // Now x[0..31] holds V; write V = lo + t * 2^252 and fold t: V = lo - t * l0 (mod L).
        Normalize(x);
        long t = x[31] >> 4;
        x[31] -= t << 4;
        for (int k = 0; k < 16; k++)
        {
            x[k] -= t * Order[k];
        }

        // The value is now in (-L, 2L): add L if negative, then subtract L if it is at least L, both by masks.
        Normalize(x);
        long negative = x[31] >> 63;
        for (int k = 0; k < 32; k++)
        {
            x[k] += Order[k] & negative;
        }

        Normalize(x);
        var d = new long[32];
        for (int k = 0; k < 32; k++)
        {
            d[k] = x[k] - Order[k];
        }

        Normalize(d);
        long keep = d[31] >> 63; // all ones when x - L < 0, i.e. x is already below L
        for (int k = 0; k < 32; k++)
        {
            output[outputOffset + k] = (byte)((x[k] & keep) | (d[k] & ~keep));
        }
    }

    /// <summary>Carries limbs 0..30 into byte range, leaving the signed remainder in limb 31.</summary>
    private static void Normalize(long[] x)
    {
        for (int j = 0; j < 31; j++)
        {
            long carry = x[j] >> 8;
            x[j] -= carry << 8;
            x[j + 1] += carry;
        }
    }
}
