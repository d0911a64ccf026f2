namespace MeshMessenger.Crypto.Curve25519;

/// <summary>
/// Group operations on edwards25519 (a = -1), using the extended-coordinate formulas of Hisil, Wong, Carter and
/// Dawson, "Twisted Edwards Curves Revisited" (2008), as RFC 8032 §5.1.4 does. Constant time except where a
/// method says "Vartime" (verification only, on public data).
/// </summary>
internal static class EdwardsMath
{
    /// <summary>The bytes of field limbs of one pre-processed point: three field elements of ten 32-bit limbs.</summary>
    public const int NielsBytes = 3 * 10 * 4;

    /// <summary>d = -121665 / 121666 (RFC 8032 §5.1).</summary>
    internal static FieldElement D;

    /// <summary>2d, used by every addition.</summary>
    internal static FieldElement D2;

    /// <summary>sqrt(-1) = 2^((p-1)/4) (RFC 8032 §5.1.3 step 3).</summary>
    internal static FieldElement SqrtM1;

    /// <summary>The base point B (RFC 8032 §5.1: y = 4/5, x even).</summary>
    internal static EdwardsPoint Base;

    /// <summary>
    /// BaseRow[j] = (j + 1) * B: the compact fixed-base table (8 points, 960 bytes), and row 0 of the full one.
    /// </summary>
    private static readonly NielsPoint[] BaseRow;

    /// <summary>
    /// The full table, BaseTable[i][j] = (j + 1) * 16^i * B (64 rows of 8 points, 61,440 bytes of field limbs),
    /// built on the first fixed-base multiplication that uses it; null while unbuilt or in compact mode.
    /// </summary>
    private static NielsPoint[][]? baseTable;

    private static bool compactBase;

    /// <summary>Odd multiples B, 3B, ..., 15B for the variable-time double-scalar multiplication.</summary>
    private static readonly NielsPoint[] BaseOdd;

    private static readonly byte[] BaseEncoding =
    {
        0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    };

    static EdwardsMath()
    {
        FieldElement num, den, inv;
        FieldElement.One(out num);
        FieldElement.MulSmall(out num, ref num, -121665);
        FieldElement.One(out den);
        FieldElement.MulSmall(out den, ref den, 121666);
        FieldElement.Invert(out inv, ref den);
        FieldElement.Mul(out D, ref num, ref inv);
        FieldElement.Add(out D2, ref D, ref D);

        // sqrt(-1) = 2^((p-1)/4) = 2^(2^253 - 5) = (2^(2^252 - 3))^2 * 2.
        FieldElement two, t;
        FieldElement.One(out two);
        FieldElement.Add(out two, ref two, ref two);
        FieldElement.Pow22523(out t, ref two);
        FieldElement.Square(out t, ref t);
        FieldElement.Mul(out SqrtM1, ref t, ref two);

        Decode(out Base, BaseEncoding, 0);

        BaseRow = MultiplesOf(ref Base);

        BaseOdd = new NielsPoint[8];
        EdwardsPoint odd = Base;
        EdwardsPoint twice;
        Double(out twice, ref Base);
        CachedPoint twiceCached;
        ToCached(out twiceCached, ref twice);
        for (int i = 0; i < 8; i++)
        {
            ToNiels(out BaseOdd[i], ref odd);
            AddCached(out odd, ref odd, ref twiceCached);
        }
    }

    /// <summary>
    /// True: fixed-base multiplication uses <see cref="BaseRow"/> only (four doublings per radix-16 digit);
    /// false (the default): the full table (no doublings). Same results either way; setting true drops the full table.
    /// </summary>
    public static bool CompactBase
    {
        get
        {
            return compactBase;
        }

        set
        {
            compactBase = value;
            if (value)
            {
                baseTable = null;
            }
        }
    }

    /// <summary>The bytes of field limbs the fixed-base tables hold now (the 8-point rows; array headers not counted).</summary>
    public static int FixedBaseTableBytes()
    {
        int rows = 1 + (baseTable == null ? 0 : baseTable.Length - 1);
        return rows * 8 * NielsBytes;
    }

    public static void Identity(out EdwardsPoint p)
    {
        FieldElement.Zero(out p.X);
        FieldElement.One(out p.Y);
        FieldElement.One(out p.Z);
        FieldElement.Zero(out p.T);
    }

    /// <summary>r = 2p (dbl-2008-hwcd with a = -1, signs folded so every output is a product of two terms).</summary>
    public static void Double(out EdwardsPoint r, ref EdwardsPoint p)
    {
        FieldElement a, b, c, h, e, g, f, s;
        FieldElement.Square(out a, ref p.X);
        FieldElement.Square(out b, ref p.Y);
        FieldElement.Square(out c, ref p.Z);
        FieldElement.Add(out c, ref c, ref c);
        FieldElement.Add(out h, ref a, ref b);
        FieldElement.Add(out s, ref p.X, ref p.Y);
        FieldElement.Square(out s, ref s);
        FieldElement.Sub(out e, ref h, ref s);
        FieldElement.Sub(out g, ref a, ref b);
        FieldElement.Add(out f, ref c, ref g);
        FieldElement.Mul(out r.X, ref e, ref f);
        FieldElement.Mul(out r.Y, ref g, ref h);
        FieldElement.Mul(out r.T, ref e, ref h);
        FieldElement.Mul(out r.Z, ref f, ref g);
    }

    /// <summary>r = p + q for an affine, pre-processed q (add-2008-hwcd-3 with Z2 = 1); negate subtracts.</summary>
    public static void AddNiels(out EdwardsPoint r, ref EdwardsPoint p, ref NielsPoint q)
    {
        FieldElement a, b, c, d, t;
        FieldElement.Sub(out t, ref p.Y, ref p.X);
        FieldElement.Mul(out a, ref t, ref q.YMinusX);
        FieldElement.Add(out t, ref p.Y, ref p.X);
        FieldElement.Mul(out b, ref t, ref q.YPlusX);
        FieldElement.Mul(out c, ref p.T, ref q.XY2D);
        FieldElement.Add(out d, ref p.Z, ref p.Z);
        Complete(out r, ref a, ref b, ref c, ref d, false);
    }

    /// <summary>r = p - q for an affine, pre-processed q.</summary>
    public static void SubNiels(out EdwardsPoint r, ref EdwardsPoint p, ref NielsPoint q)
    {
        FieldElement a, b, c, d, t;
        FieldElement.Sub(out t, ref p.Y, ref p.X);
        FieldElement.Mul(out a, ref t, ref q.YPlusX);
        FieldElement.Add(out t, ref p.Y, ref p.X);
        FieldElement.Mul(out b, ref t, ref q.YMinusX);
        FieldElement.Mul(out c, ref p.T, ref q.XY2D);
        FieldElement.Add(out d, ref p.Z, ref p.Z);
        Complete(out r, ref a, ref b, ref c, ref d, true);
    }

    /// <summary>r = p + q (add-2008-hwcd-3).</summary>
    public static void AddCached(out EdwardsPoint r, ref EdwardsPoint p, ref CachedPoint q)
    {
        FieldElement a, b, c, d, t;
        FieldElement.Sub(out t, ref p.Y, ref p.X);
        FieldElement.Mul(out a, ref t, ref q.YMinusX);
        FieldElement.Add(out t, ref p.Y, ref p.X);
        FieldElement.Mul(out b, ref t, ref q.YPlusX);
        FieldElement.Mul(out c, ref p.T, ref q.T2D);
        FieldElement.Mul(out t, ref p.Z, ref q.Z);
        FieldElement.Add(out d, ref t, ref t);
        Complete(out r, ref a, ref b, ref c, ref d, false);
    }

    /// <summary>r = p - q.</summary>
    public static void SubCached(out EdwardsPoint r, ref EdwardsPoint p, ref CachedPoint q)
    {
        FieldElement a, b, c, d, t;
        FieldElement.Sub(out t, ref p.Y, ref p.X);
        FieldElement.Mul(out a, ref t, ref q.YPlusX);
        FieldElement.Add(out t, ref p.Y, ref p.X);
        FieldElement.Mul(out b, ref t, ref q.YMinusX);
        FieldElement.Mul(out c, ref p.T, ref q.T2D);
        FieldElement.Mul(out t, ref p.Z, ref q.Z);
        FieldElement.Add(out d, ref t, ref t);
        Complete(out r, ref a, ref b, ref c, ref d, true);
    }

    public static void ToCached(out CachedPoint r, ref EdwardsPoint p)
    {
        FieldElement.Add(out r.YPlusX, ref p.Y, ref p.X);
        FieldElement.Sub(out r.YMinusX, ref p.Y, ref p.X);
        r.Z = p.Z;
        FieldElement.Mul(out r.T2D, ref p.T, ref D2);
    }

    public static void ToNiels(out NielsPoint r, ref EdwardsPoint p)
    {
        FieldElement inv, x, y, xy;
        FieldElement.Invert(out inv, ref p.Z);
        FieldElement.Mul(out x, ref p.X, ref inv);
        FieldElement.Mul(out y, ref p.Y, ref inv);
        FieldElement.Add(out r.YPlusX, ref y, ref x);
        FieldElement.Sub(out r.YMinusX, ref y, ref x);
        FieldElement.Mul(out xy, ref x, ref y);
        FieldElement.Mul(out r.XY2D, ref xy, ref D2);
    }

    /// <summary>RFC 8032 §5.1.2: y little-endian with the low bit of x in the top bit.</summary>
    public static void Encode(ref EdwardsPoint p, byte[] output, int offset)
    {
        FieldElement inv, x, y;
        FieldElement.Invert(out inv, ref p.Z);
        FieldElement.Mul(out x, ref p.X, ref inv);
        FieldElement.Mul(out y, ref p.Y, ref inv);
        FieldElement.ToBytes(ref y, output, offset);
        output[offset + 31] |= (byte)(FieldElement.IsNegative(ref x) << 7);
    }

    /// <summary>
    /// RFC 8032 §5.1.3 decoding, strict: a y that is not below p, an x^2 with no square root, and x = 0 with the
    /// sign bit set are all rejected. Used on public keys and signatures only.
    /// </summary>
    public static bool Decode(out EdwardsPoint p, byte[] s, int offset)
    {
        Identity(out p);
        FieldElement y, one, y2, u, v, v3, v7, x, vx2, check;
        FieldElement.FromBytes(out y, s, offset);

        // Canonical y: re-encoding must give back the same 255 bits.
        var canonical = new byte[32];
        FieldElement.ToBytes(ref y, canonical, 0);
        canonical[31] |= (byte)(s[offset + 31] & 0x80);
        if (!CryptoBytes.ConstantTimeEquals(canonical, 0, s, offset, 32))
        {
            return false;
        }

        // x^2 = (y^2 - 1) / (d y^2 + 1); candidate x = u v^3 (u v^7)^((p-5)/8).
        FieldElement.One(out one);
        FieldElement.Square(out y2, ref y);
        FieldElement.Sub(out u, ref y2, ref one);
        FieldElement.Mul(out v, ref y2, ref D);
        FieldElement.Add(out v, ref v, ref one);
        FieldElement.Square(out v3, ref v);
        FieldElement.Mul(out v3, ref v3, ref v);
        FieldElement.Square(out v7, ref v3);
        FieldElement.Mul(out v7, ref v7, ref v);
        FieldElement.Mul(out x, ref v7, ref u);
        FieldElement.Pow22523(out x, ref x);
        FieldElement.Mul(out x, ref x, ref v3);
        FieldElement.Mul(out x, ref x, ref u);

        FieldElement.Square(out vx2, ref x);
        FieldElement.Mul(out vx2, ref vx2, ref v);
        FieldElement.Sub(out check, ref vx2, ref u);
        if (FieldElement.IsZero(ref check) == 0)
        {
            FieldElement.Add(out check, ref vx2, ref u);
            if (FieldElement.IsZero(ref check) == 0)
            {
                return false;
            }

            FieldElement.Mul(out x, ref x, ref SqrtM1);
        }

        int sign = s[offset + 31] >> 7;
        if (FieldElement.IsZero(ref x) == 1 && sign == 1)
        {
            return false;
        }

        if (FieldElement.IsNegative(ref x) != sign)
        {
            FieldElement.Neg(out x, ref x);
        }

        p.X = x;
        p.Y = y;
        FieldElement.One(out p.Z);
        FieldElement.Mul(out p.T, ref x, ref y);
        return true;
    }

    public static void Negate(out EdwardsPoint r, ref EdwardsPoint p)
    {
        FieldElement.Neg(out r.X, ref p.X);
        r.Y = p.Y;
        r.Z = p.Z;
        FieldElement.Neg(out r.T, ref p.T);
    }

    /// <summary>True when 8p is the identity: p has order 1, 2, 4 or 8. Public data.</summary>
    public static bool IsSmallOrderVartime(ref EdwardsPoint p)
    {
        EdwardsPoint q;
        Double(out q, ref p);
        Double(out q, ref q);
        Double(out q, ref q);
        FieldElement diff;
        FieldElement.Sub(out diff, ref q.Y, ref q.Z);
        return FieldElement.IsZero(ref q.X) == 1 && FieldElement.IsZero(ref diff) == 1;
    }

    /// <summary>
    /// r = a * B for a 32-byte little-endian scalar with a[31] &lt;= 127, in constant time: 64 signed radix-16
    /// digits in [-8, 8], each looked up by scanning its whole table row with masks.
    /// </summary>
    public static void ScalarMultBase(out EdwardsPoint r, byte[] a, int offset)
    {
        var e = new int[64];
        for (int i = 0; i < 32; i++)
        {
            e[2 * i] = a[offset + i] & 15;
            e[(2 * i) + 1] = (a[offset + i] >> 4) & 15;
        }

        // Recenter each digit into [-8, 8) by carrying into the next; the top digit ends in [0, 8].
        int carry = 0;
        for (int i = 0; i < 63; i++)
        {
            e[i] += carry;
            carry = (e[i] + 8) >> 4;
            e[i] -= carry << 4;
        }

        e[63] += carry;

        Identity(out r);
        NielsPoint t;
        if (compactBase)
        {
            // Horner from the top digit: r = 16 r + e[i] B, with one 8-point row (Bernstein et al., "High-speed
            // high-security signatures" (2011) §4, without the per-position rows).
            for (int i = 63; i >= 0; i--)
            {
                if (i != 63)
                {
                    Double(out r, ref r);
                    Double(out r, ref r);
                    Double(out r, ref r);
                    Double(out r, ref r);
                }

                Select(out t, BaseRow, e[i]);
                AddNiels(out r, ref r, ref t);
            }

            return;
        }

        NielsPoint[][] table = FullTable();
        for (int i = 0; i < 64; i++)
        {
            Select(out t, table[i], e[i]);
            AddNiels(out r, ref r, ref t);
        }
    }

    /// <summary>The full fixed-base table, built on first use (row i holds the multiples of 16^i B).</summary>
    private static NielsPoint[][] FullTable()
    {
        NielsPoint[][]? table = baseTable;
        if (table != null)
        {
            return table;
        }

        // Built into a local and published whole: two threads racing here both build the same table.
        table = new NielsPoint[64][];
        table[0] = BaseRow;
        EdwardsPoint power = Base;
        for (int i = 1; i < 64; i++)
        {
            for (int k = 0; k < 4; k++)
            {
                Double(out power, ref power);
            }

            table[i] = MultiplesOf(ref power);
        }

        baseTable = table;
        return table;
    }

    /// <summary>P, 2P, ..., 8P in pre-processed affine form.</summary>
    private static NielsPoint[] MultiplesOf(ref EdwardsPoint p)
    {
        var row = new NielsPoint[8];
        CachedPoint cached;
        ToCached(out cached, ref p);
        EdwardsPoint multiple = p;
        for (int j = 0; j < 8; j++)
        {
            ToNiels(out row[j], ref multiple);
            AddCached(out multiple, ref multiple, ref cached);
        }

        return row;
    }

    /// <summary>
    /// r = a * A + b * B in variable time (Straus with width-5 signed sliding windows). Only for verification,
    /// where every input is public.
    /// </summary>
    public static void DoubleScalarMultVartime(out EdwardsPoint r, byte[] a, int aOffset, ref EdwardsPoint bigA, byte[] b, int bOffset)
    {
        var aDigits = new int[256];
        var bDigits = new int[256];
        Slide(aDigits, a, aOffset);
        Slide(bDigits, b, bOffset);

        var aOdd = new CachedPoint[8];
        EdwardsPoint twiceA, current;
        Double(out twiceA, ref bigA);
        CachedPoint twiceCached;
        ToCached(out twiceCached, ref twiceA);
        current = bigA;
        for (int i = 0; i < 8; i++)
        {
            ToCached(out aOdd[i], ref current);
            AddCached(out current, ref current, ref twiceCached);
        }

        int top = 255;
        while (top >= 0 && aDigits[top] == 0 && bDigits[top] == 0)
        {
            top--;
        }

        Identity(out r);
        for (int i = top; i >= 0; i--)
        {
            Double(out r, ref r);
            if (aDigits[i] > 0)
            {
                AddCached(out r, ref r, ref aOdd[aDigits[i] >> 1]);
            }
            else if (aDigits[i] < 0)
            {
                SubCached(out r, ref r, ref aOdd[(-aDigits[i]) >> 1]);
            }

            if (bDigits[i] > 0)
            {
                AddNiels(out r, ref r, ref BaseOdd[bDigits[i] >> 1]);
            }
            else if (bDigits[i] < 0)
            {
                SubNiels(out r, ref r, ref BaseOdd[(-bDigits[i]) >> 1]);
            }
        }
    }

    /// <summary>
    /// The shared end of add-2008-hwcd-3: from A = (Y1-X1)(Y2-X2), B = (Y1+X1)(Y2+X2), C = T1·2d·T2 and
    /// D = 2·Z1·Z2, r = (E·F : G·H : F·G : E·H). Subtracting negates the second point, which swaps C's sign.
    /// </summary>
    private static void Complete(out EdwardsPoint r, ref FieldElement a, ref FieldElement b, ref FieldElement c, ref FieldElement d, bool subtract)
    {
        FieldElement e, f, g, h;
        FieldElement.Sub(out e, ref b, ref a);
        FieldElement.Add(out h, ref b, ref a);
        if (subtract)
        {
            FieldElement.Add(out f, ref d, ref c);
            FieldElement.Sub(out g, ref d, ref c);
        }
        else
        {
            FieldElement.Sub(out f, ref d, ref c);
            FieldElement.Add(out g, ref d, ref c);
        }

        FieldElement.Mul(out r.X, ref e, ref f);
        FieldElement.Mul(out r.Y, ref g, ref h);
        FieldElement.Mul(out r.T, ref e, ref h);
        FieldElement.Mul(out r.Z, ref f, ref g);
    }

    /// <summary>Constant-time t = digit * row[0] (row[j] = (j + 1) * P), for digit in [-8, 8].</summary>
    private static void Select(out NielsPoint t, NielsPoint[] row, int digit)
    {
        int negative = (digit >> 31) & 1;
        int magnitude = (digit ^ -negative) + negative;
        FieldElement.One(out t.YPlusX);
        FieldElement.One(out t.YMinusX);
        FieldElement.Zero(out t.XY2D);
        for (int j = 0; j < 8; j++)
        {
            int equal = (int)(((uint)(magnitude ^ (j + 1)) - 1) >> 31);
            FieldElement.CMov(ref t.YPlusX, ref row[j].YPlusX, equal);
            FieldElement.CMov(ref t.YMinusX, ref row[j].YMinusX, equal);
            FieldElement.CMov(ref t.XY2D, ref row[j].XY2D, equal);
        }

        NielsPoint minus;
        minus.YPlusX = t.YMinusX;
        minus.YMinusX = t.YPlusX;
        FieldElement.Neg(out minus.XY2D, ref t.XY2D);
        FieldElement.CMov(ref t.YPlusX, ref minus.YPlusX, negative);
        FieldElement.CMov(ref t.YMinusX, ref minus.YMinusX, negative);
        FieldElement.CMov(ref t.XY2D, ref minus.XY2D, negative);
    }

    /// <summary>
    /// Signed sliding-window digits: odd values in [-15, 15], non-zero digits at least five positions apart,
    /// sum of digits[i] * 2^i equal to the scalar. Variable time.
    /// </summary>
    private static void Slide(int[] digits, byte[] s, int offset)
    {
        for (int i = 0; i < 256; i++)
        {
            digits[i] = (s[offset + (i >> 3)] >> (i & 7)) & 1;
        }

        for (int i = 0; i < 256; i++)
        {
            if (digits[i] == 0)
            {
                continue;
            }

            for (int b = 1; b <= 6 && i + b < 256; b++)
            {
                if (digits[i + b] == 0)
                {
                    continue;
                }

                int shifted = digits[i + b] << b;
                if (digits[i] + shifted <= 15)
                {
                    digits[i] += shifted;
                    digits[i + b] = 0;
                }
                else if (digits[i] - shifted >= -15)
                {
                    digits[i] -= shifted;
                    for (int k = i + b; k < 256; k++)
                    {
                        if (digits[k] == 0)
                        {
                            digits[k] = 1;
                            break;
                        }

                        digits[k] = 0;
                    }
                }
                else
                {
                    break;
                }
            }
        }
    }
}
