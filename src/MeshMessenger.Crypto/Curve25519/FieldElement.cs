namespace MeshMessenger.Crypto.Curve25519;

/// <summary>
/// An element of GF(2^255 - 19) in ten signed limbs of alternately 26 and 25 bits (radix 2^25.5), so that every
/// limb product fits a 64-bit integer: nanoFramework has no 128-bit multiply. Every operation returns limbs
/// carried to at most about 2^26, which keeps the sums of products in <see cref="Mul"/> below 2^61.
/// All operations are constant time: no branch or index depends on a limb.
/// </summary>
internal struct FieldElement
{
    public int V0, V1, V2, V3, V4, V5, V6, V7, V8, V9;

    public static void Zero(out FieldElement h)
    {
        h.V0 = h.V1 = h.V2 = h.V3 = h.V4 = h.V5 = h.V6 = h.V7 = h.V8 = h.V9 = 0;
    }

    public static void One(out FieldElement h)
    {
        Zero(out h);
        h.V0 = 1;
    }

    /// <summary>Loads 255 bits, little-endian (RFC 7748 §5: the top bit is ignored; values &gt;= p are accepted).</summary>
    public static void FromBytes(out FieldElement h, byte[] s, int offset)
    {
        ulong acc = 0;
        int bits = 0;
        int pos = offset;
        var limbs = new int[10];
        for (int i = 0; i < 10; i++)
        {
            int width = (i & 1) == 0 ? 26 : 25;
            while (bits < width)
            {
                acc |= (ulong)s[pos++] << bits;
                bits += 8;
            }

            limbs[i] = (int)(acc & ((1UL << width) - 1));
            acc >>= width;
            bits -= width;
        }

        h.V0 = limbs[0]; h.V1 = limbs[1]; h.V2 = limbs[2]; h.V3 = limbs[3]; h.V4 = limbs[4];
        h.V5 = limbs[5]; h.V6 = limbs[6]; h.V7 = limbs[7]; h.V8 = limbs[8]; h.V9 = limbs[9] & 0x1ffffff;
    }

    /// <summary>Stores the canonical (fully reduced, &lt; p) little-endian encoding.</summary>
    public static void ToBytes(ref FieldElement f, byte[] s, int offset)
    {
        FieldElement h;
        Carry(out h, f.V0, f.V1, f.V2, f.V3, f.V4, f.V5, f.V6, f.V7, f.V8, f.V9);

        // Limbs are now non-negative and the value is below 2p, so q = floor((h + 19) / 2^255) is 1 exactly
        // when h >= p; then h - p = h + 19 - 2^255.
        int q = (h.V0 + 19) >> 26;
        q = (h.V1 + q) >> 25;
        q = (h.V2 + q) >> 26;
        q = (h.V3 + q) >> 25;
        q = (h.V4 + q) >> 26;
        q = (h.V5 + q) >> 25;
        q = (h.V6 + q) >> 26;
        q = (h.V7 + q) >> 25;
        q = (h.V8 + q) >> 26;
        q = (h.V9 + q) >> 25;

        var limbs = new int[10];
        limbs[0] = h.V0 + (19 * q); limbs[1] = h.V1; limbs[2] = h.V2; limbs[3] = h.V3; limbs[4] = h.V4;
        limbs[5] = h.V5; limbs[6] = h.V6; limbs[7] = h.V7; limbs[8] = h.V8; limbs[9] = h.V9;
        for (int i = 0; i < 9; i++)
        {
            int width = (i & 1) == 0 ? 26 : 25;
            limbs[i + 1] += limbs[i] >> width;
            limbs[i] &= (1 << width) - 1;
        }

        limbs[9] &= 0x1ffffff;

        ulong acc = 0;
        int bits = 0;
        int pos = offset;
        for (int i = 0; i < 10; i++)
        {
            acc |= (ulong)(uint)limbs[i] << bits;
            bits += (i & 1) == 0 ? 26 : 25;
            while (bits >= 8)
            {
                s[pos++] = (byte)acc;
                acc >>= 8;
                bits -= 8;
            }
        }

        s[pos] = (byte)acc;
    }

    public static void Add(out FieldElement h, ref FieldElement f, ref FieldElement g)
    {
#if OPERATION_COUNT
        OperationCounters.FieldAdditions++;
#endif
        Carry(out h, (long)f.V0 + g.V0, (long)f.V1 + g.V1, (long)f.V2 + g.V2, (long)f.V3 + g.V3, (long)f.V4 + g.V4,
            (long)f.V5 + g.V5, (long)f.V6 + g.V6, (long)f.V7 + g.V7, (long)f.V8 + g.V8, (long)f.V9 + g.V9);
    }

    public static void Sub(out FieldElement h, ref FieldElement f, ref FieldElement g)
    {
#if OPERATION_COUNT
        OperationCounters.FieldAdditions++;
#endif
        Carry(out h, (long)f.V0 - g.V0, (long)f.V1 - g.V1, (long)f.V2 - g.V2, (long)f.V3 - g.V3, (long)f.V4 - g.V4,
            (long)f.V5 - g.V5, (long)f.V6 - g.V6, (long)f.V7 - g.V7, (long)f.V8 - g.V8, (long)f.V9 - g.V9);
    }

    public static void Neg(out FieldElement h, ref FieldElement f)
    {
#if OPERATION_COUNT
        OperationCounters.FieldAdditions++;
#endif
        Carry(out h, -(long)f.V0, -(long)f.V1, -(long)f.V2, -(long)f.V3, -(long)f.V4,
            -(long)f.V5, -(long)f.V6, -(long)f.V7, -(long)f.V8, -(long)f.V9);
    }

    /// <summary>h = f * g. Limb i sits at bit ceil(25.5 i): two odd limbs meet one bit high (factor 2), and
    /// products past 2^255 wrap around times 19 because 2^255 = 19 (mod p).</summary>
    public static void Mul(out FieldElement h, ref FieldElement f, ref FieldElement g)
    {
#if OPERATION_COUNT
        OperationCounters.FieldMultiplications++;
#endif
        long f0 = f.V0;
        long f1 = f.V1;
        long f2 = f.V2;
        long f3 = f.V3;
        long f4 = f.V4;
        long f5 = f.V5;
        long f6 = f.V6;
        long f7 = f.V7;
        long f8 = f.V8;
        long f9 = f.V9;
        long g0 = g.V0;
        long g1 = g.V1;
        long g2 = g.V2;
        long g3 = g.V3;
        long g4 = g.V4;
        long g5 = g.V5;
        long g6 = g.V6;
        long g7 = g.V7;
        long g8 = g.V8;
        long g9 = g.V9;
        long g1_19 = 19 * g1;
        long g2_19 = 19 * g2;
        long g3_19 = 19 * g3;
        long g4_19 = 19 * g4;
        long g5_19 = 19 * g5;
        long g6_19 = 19 * g6;
        long g7_19 = 19 * g7;
        long g8_19 = 19 * g8;
        long g9_19 = 19 * g9;
        long f1_2 = 2 * f1;
        long f3_2 = 2 * f3;
        long f5_2 = 2 * f5;
        long f7_2 = 2 * f7;
        long f9_2 = 2 * f9;
        long h0 = (f0 * g0) + (f1_2 * g9_19) + (f2 * g8_19) + (f3_2 * g7_19) + (f4 * g6_19) + (f5_2 * g5_19) + (f6 * g4_19) + (f7_2 * g3_19) + (f8 * g2_19) + (f9_2 * g1_19);
        long h1 = (f0 * g1) + (f1 * g0) + (f2 * g9_19) + (f3 * g8_19) + (f4 * g7_19) + (f5 * g6_19) + (f6 * g5_19) + (f7 * g4_19) + (f8 * g3_19) + (f9 * g2_19);
        long h2 = (f0 * g2) + (f1_2 * g1) + (f2 * g0) + (f3_2 * g9_19) + (f4 * g8_19) + (f5_2 * g7_19) + (f6 * g6_19) + (f7_2 * g5_19) + (f8 * g4_19) + (f9_2 * g3_19);
        long h3 = (f0 * g3) + (f1 * g2) + (f2 * g1) + (f3 * g0) + (f4 * g9_19) + (f5 * g8_19) + (f6 * g7_19) + (f7 * g6_19) + (f8 * g5_19) + (f9 * g4_19);
        long h4 = (f0 * g4) + (f1_2 * g3) + (f2 * g2) + (f3_2 * g1) + (f4 * g0) + (f5_2 * g9_19) + (f6 * g8_19) + (f7_2 * g7_19) + (f8 * g6_19) + (f9_2 * g5_19);
        long h5 = (f0 * g5) + (f1 * g4) + (f2 * g3) + (f3 * g2) + (f4 * g1) + (f5 * g0) + (f6 * g9_19) + (f7 * g8_19) + (f8 * g7_19) + (f9 * g6_19);
        long h6 = (f0 * g6) + (f1_2 * g5) + (f2 * g4) + (f3_2 * g3) + (f4 * g2) + (f5_2 * g1) + (f6 * g0) + (f7_2 * g9_19) + (f8 * g8_19) + (f9_2 * g7_19);
        long h7 = (f0 * g7) + (f1 * g6) + (f2 * g5) + (f3 * g4) + (f4 * g3) + (f5 * g2) + (f6 * g1) + (f7 * g0) + (f8 * g9_19) + (f9 * g8_19);
        long h8 = (f0 * g8) + (f1_2 * g7) + (f2 * g6) + (f3_2 * g5) + (f4 * g4) + (f5_2 * g3) + (f6 * g2) + (f7_2 * g1) + (f8 * g0) + (f9_2 * g9_19);
        long h9 = (f0 * g9) + (f1 * g8) + (f2 * g7) + (f3 * g6) + (f4 * g5) + (f5 * g4) + (f6 * g3) + (f7 * g2) + (f8 * g1) + (f9 * g0);
        Carry(out h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    /// <summary>h = f * f, with the symmetric products computed once.</summary>
    public static void Square(out FieldElement h, ref FieldElement f)
    {
#if OPERATION_COUNT
        OperationCounters.FieldSquarings++;
#endif
        long f0 = f.V0;
        long f1 = f.V1;
        long f2 = f.V2;
        long f3 = f.V3;
        long f4 = f.V4;
        long f5 = f.V5;
        long f6 = f.V6;
        long f7 = f.V7;
        long f8 = f.V8;
        long f9 = f.V9;
        long f0_2 = 2 * f0;
        long f1_2 = 2 * f1;
        long f1_4 = 4 * f1;
        long f2_2 = 2 * f2;
        long f3_2 = 2 * f3;
        long f3_4 = 4 * f3;
        long f4_2 = 2 * f4;
        long f5_19 = 19 * f5;
        long f5_2 = 2 * f5;
        long f5_4 = 4 * f5;
        long f6_19 = 19 * f6;
        long f6_2 = 2 * f6;
        long f7_19 = 19 * f7;
        long f7_2 = 2 * f7;
        long f7_4 = 4 * f7;
        long f8_19 = 19 * f8;
        long f8_2 = 2 * f8;
        long f9_19 = 19 * f9;
        long f9_2 = 2 * f9;
        long h0 = (f0 * f0) + (f1_4 * f9_19) + (f2_2 * f8_19) + (f3_4 * f7_19) + (f4_2 * f6_19) + (f5_2 * f5_19);
        long h1 = (f0_2 * f1) + (f2_2 * f9_19) + (f3_2 * f8_19) + (f4_2 * f7_19) + (f5_2 * f6_19);
        long h2 = (f0_2 * f2) + (f1_2 * f1) + (f3_4 * f9_19) + (f4_2 * f8_19) + (f5_4 * f7_19) + (f6 * f6_19);
        long h3 = (f0_2 * f3) + (f1_2 * f2) + (f4_2 * f9_19) + (f5_2 * f8_19) + (f6_2 * f7_19);
        long h4 = (f0_2 * f4) + (f1_4 * f3) + (f2 * f2) + (f5_4 * f9_19) + (f6_2 * f8_19) + (f7_2 * f7_19);
        long h5 = (f0_2 * f5) + (f1_2 * f4) + (f2_2 * f3) + (f6_2 * f9_19) + (f7_2 * f8_19);
        long h6 = (f0_2 * f6) + (f1_4 * f5) + (f2_2 * f4) + (f3_2 * f3) + (f7_4 * f9_19) + (f8 * f8_19);
        long h7 = (f0_2 * f7) + (f1_2 * f6) + (f2_2 * f5) + (f3_2 * f4) + (f8_2 * f9_19);
        long h8 = (f0_2 * f8) + (f1_4 * f7) + (f2_2 * f6) + (f3_4 * f5) + (f4 * f4) + (f9_2 * f9_19);
        long h9 = (f0_2 * f9) + (f1_2 * f8) + (f2_2 * f7) + (f3_2 * f6) + (f4_2 * f5);
        Carry(out h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    /// <summary>h = f * n for a small constant n (|n| &lt; 2^20).</summary>
    public static void MulSmall(out FieldElement h, ref FieldElement f, int n)
    {
#if OPERATION_COUNT
        OperationCounters.FieldSmallMultiplications++;
#endif
        Carry(out h, (long)f.V0 * n, (long)f.V1 * n, (long)f.V2 * n, (long)f.V3 * n, (long)f.V4 * n,
            (long)f.V5 * n, (long)f.V6 * n, (long)f.V7 * n, (long)f.V8 * n, (long)f.V9 * n);
    }

    /// <summary>f squared n times.</summary>
    public static void SquareTimes(out FieldElement h, ref FieldElement f, int n)
    {
        Square(out h, ref f);
        for (int i = 1; i < n; i++)
        {
            Square(out h, ref h);
        }
    }

    /// <summary>h = 1/f = f^(p - 2) = f^(2^255 - 21) (Fermat); 1/0 gives 0.</summary>
    public static void Invert(out FieldElement h, ref FieldElement f)
    {
        FieldElement t, f11;
        Pow2To250Minus1(out t, out f11, ref f);
        SquareTimes(out t, ref t, 5);
        Mul(out h, ref t, ref f11);
    }

    /// <summary>h = f^((p - 5) / 8) = f^(2^252 - 3), for square roots (RFC 8032 §5.1.3).</summary>
    public static void Pow22523(out FieldElement h, ref FieldElement f)
    {
        FieldElement t, f11;
        Pow2To250Minus1(out t, out f11, ref f);
        SquareTimes(out t, ref t, 2);
        Mul(out h, ref t, ref f);
    }

    /// <summary>f = g when bit is 1, unchanged when 0, without a branch.</summary>
    public static void CMov(ref FieldElement f, ref FieldElement g, int bit)
    {
#if OPERATION_COUNT
        OperationCounters.FieldConditionalMoves++;
#endif
        int mask = -bit;
        f.V0 ^= (f.V0 ^ g.V0) & mask; f.V1 ^= (f.V1 ^ g.V1) & mask; f.V2 ^= (f.V2 ^ g.V2) & mask;
        f.V3 ^= (f.V3 ^ g.V3) & mask; f.V4 ^= (f.V4 ^ g.V4) & mask; f.V5 ^= (f.V5 ^ g.V5) & mask;
        f.V6 ^= (f.V6 ^ g.V6) & mask; f.V7 ^= (f.V7 ^ g.V7) & mask; f.V8 ^= (f.V8 ^ g.V8) & mask;
        f.V9 ^= (f.V9 ^ g.V9) & mask;
    }

    /// <summary>Swaps f and g when bit is 1, without a branch (RFC 7748 §5 cswap).</summary>
    public static void CSwap(ref FieldElement f, ref FieldElement g, int bit)
    {
#if OPERATION_COUNT
        OperationCounters.FieldConditionalMoves++;
#endif
        int mask = -bit;
        int x;
        x = (f.V0 ^ g.V0) & mask; f.V0 ^= x; g.V0 ^= x;
        x = (f.V1 ^ g.V1) & mask; f.V1 ^= x; g.V1 ^= x;
        x = (f.V2 ^ g.V2) & mask; f.V2 ^= x; g.V2 ^= x;
        x = (f.V3 ^ g.V3) & mask; f.V3 ^= x; g.V3 ^= x;
        x = (f.V4 ^ g.V4) & mask; f.V4 ^= x; g.V4 ^= x;
        x = (f.V5 ^ g.V5) & mask; f.V5 ^= x; g.V5 ^= x;
        x = (f.V6 ^ g.V6) & mask; f.V6 ^= x; g.V6 ^= x;
        x = (f.V7 ^ g.V7) & mask; f.V7 ^= x; g.V7 ^= x;
        x = (f.V8 ^ g.V8) & mask; f.V8 ^= x; g.V8 ^= x;
        x = (f.V9 ^ g.V9) & mask; f.V9 ^= x; g.V9 ^= x;
    }

    /// <summary>1 when f = 0 (mod p), else 0.</summary>
    public static int IsZero(ref FieldElement f)
    {
        var s = new byte[32];
        ToBytes(ref f, s, 0);
        int acc = 0;
        for (int i = 0; i < 32; i++)
        {
            acc |= s[i];
        }

        return ((acc - 1) >> 8) & 1;
    }

    /// <summary>The low bit of the canonical encoding: the "sign" of x in RFC 8032 §5.1.2.</summary>
    public static int IsNegative(ref FieldElement f)
    {
        var s = new byte[32];
        ToBytes(ref f, s, 0);
        return s[0] & 1;
    }

    /// <summary>h = f^(2^250 - 1), the shared prefix of inversion and square roots; also returns f^11.</summary>
    private static void Pow2To250Minus1(out FieldElement h, out FieldElement f11, ref FieldElement f)
    {
        FieldElement t0, t1, t2, t3;
        Square(out t0, ref f);                 // f^2
        SquareTimes(out t1, ref t0, 2);        // f^8
        Mul(out t1, ref f, ref t1);            // f^9
        Mul(out f11, ref t0, ref t1);          // f^11
        Square(out t2, ref f11);               // f^22
        Mul(out t1, ref t1, ref t2);           // f^(2^5 - 1)
        SquareTimes(out t2, ref t1, 5);
        Mul(out t1, ref t2, ref t1);           // f^(2^10 - 1)
        SquareTimes(out t2, ref t1, 10);
        Mul(out t2, ref t2, ref t1);           // f^(2^20 - 1)
        SquareTimes(out t3, ref t2, 20);
        Mul(out t2, ref t3, ref t2);           // f^(2^40 - 1)
        SquareTimes(out t2, ref t2, 10);
        Mul(out t1, ref t2, ref t1);           // f^(2^50 - 1)
        SquareTimes(out t2, ref t1, 50);
        Mul(out t2, ref t2, ref t1);           // f^(2^100 - 1)
        SquareTimes(out t3, ref t2, 100);
        Mul(out t2, ref t3, ref t2);           // f^(2^200 - 1)
        SquareTimes(out t2, ref t2, 50);
        Mul(out h, ref t2, ref t1);            // f^(2^250 - 1)
    }

    /// <summary>Carries 64-bit limb sums down to 26/25-bit limbs; the carry out of the top limb re-enters times 19
    /// (2^255 = 19 mod p). Arithmetic shifts floor, so the results are non-negative.</summary>
    private static void Carry(out FieldElement h, long h0, long h1, long h2, long h3, long h4, long h5, long h6, long h7, long h8, long h9)
    {
        long c;
        c = h0 >> 26; h0 -= c << 26; h1 += c;
        c = h1 >> 25; h1 -= c << 25; h2 += c;
        c = h2 >> 26; h2 -= c << 26; h3 += c;
        c = h3 >> 25; h3 -= c << 25; h4 += c;
        c = h4 >> 26; h4 -= c << 26; h5 += c;
        c = h5 >> 25; h5 -= c << 25; h6 += c;
        c = h6 >> 26; h6 -= c << 26; h7 += c;
        c = h7 >> 25; h7 -= c << 25; h8 += c;
        c = h8 >> 26; h8 -= c << 26; h9 += c;
        c = h9 >> 25; h9 -= c << 25; h0 += c * 19;
        c = h0 >> 26; h0 -= c << 26; h1 += c;
        h.V0 = (int)h0; h.V1 = (int)h1; h.V2 = (int)h2; h.V3 = (int)h3; h.V4 = (int)h4;
        h.V5 = (int)h5; h.V6 = (int)h6; h.V7 = (int)h7; h.V8 = (int)h8; h.V9 = (int)h9;
    }
}
