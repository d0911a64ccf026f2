namespace MeshMessenger.Crypto;

/// <summary>SHA-512 (FIPS 180-4 §6.4). Incremental; no allocation after construction.</summary>
public sealed class Sha512
{
    public const int HashSize = 64;
    public const int BlockSize = 128;

    // FIPS 180-4 §4.2.3: first 64 bits of the fractional parts of the cube roots of the first 80 primes.
    private static readonly ulong[] K =
    {
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
        0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
        0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
        0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
        0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
        0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
        0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
        0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
        0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
        0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
        0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
        0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
        0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
    };

    private readonly ulong[] _state = new ulong[8];
    private readonly ulong[] _w = new ulong[80];
    private readonly HashBlockBuffer _blocks;

    public Sha512()
    {
        _blocks = new HashBlockBuffer(BlockSize, Compress);
        Reset();
    }

    public void Reset()
    {
        // FIPS 180-4 §5.3.5: initial hash value.
        _state[0] = 0x6a09e667f3bcc908;
        _state[1] = 0xbb67ae8584caa73b;
        _state[2] = 0x3c6ef372fe94f82b;
        _state[3] = 0xa54ff53a5f1d36f1;
        _state[4] = 0x510e527fade682d1;
        _state[5] = 0x9b05688c2b3e6c1f;
        _state[6] = 0x1f83d9abfb41bd6b;
        _state[7] = 0x5be0cd19137e2179;
        _blocks.Reset();
    }

    public void Update(byte[] data, int offset, int count)
    {
        _blocks.Update(data, offset, count);
    }

    public void Finish(byte[] output, int offset)
    {
        CryptoBytes.CheckRange(output, offset, HashSize, nameof(output));
        _blocks.Pad(16);

        for (int i = 0; i < 8; i++)
        {
            CryptoBytes.StoreUInt64BigEndian(_state[i], output, offset + (8 * i));
        }

        Reset();
    }

    public static void Hash(byte[] data, int offset, int count, byte[] output, int outputOffset)
    {
        var sha = new Sha512();
        sha.Update(data, offset, count);
        sha.Finish(output, outputOffset);
    }

    private void Compress(byte[] block, int offset)
    {
#if OPERATION_COUNT
        OperationCounters.Sha512Blocks++;
#endif
        ulong[] w = _w;
        for (int t = 0; t < 16; t++)
        {
            w[t] = CryptoBytes.LoadUInt64BigEndian(block, offset + (8 * t));
        }

        // FIPS 180-4 §6.4.2 step 1: message schedule with σ0 and σ1 (§4.1.3).
        for (int t = 16; t < 80; t++)
        {
            ulong x = w[t - 2];
            ulong y = w[t - 15];
            ulong s1 = ((x >> 19) | (x << 45)) ^ ((x >> 61) | (x << 3)) ^ (x >> 6);
            ulong s0 = ((y >> 1) | (y << 63)) ^ ((y >> 8) | (y << 56)) ^ (y >> 7);
            w[t] = s1 + w[t - 7] + s0 + w[t - 16];
        }

        ulong a = _state[0], b = _state[1], c = _state[2], d = _state[3];
        ulong e = _state[4], f = _state[5], g = _state[6], h = _state[7];

        // FIPS 180-4 §6.4.2 steps 3-4, eight rounds per pass: instead of shifting the eight working variables
        // down each round, the roles rotate through the names, so a pass ends with them back in place.
        // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]; d += T1; h = T1 + Σ0(a) + Maj(a, b, c).
        for (int t = 0; t < 80; t += 8)
        {
            h += (((e >> 14) | (e << 50)) ^ ((e >> 18) | (e << 46)) ^ ((e >> 41) | (e << 23))) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            d += h;
            h += (((a >> 28) | (a << 36)) ^ ((a >> 34) | (a << 30)) ^ ((a >> 39) | (a << 25))) + ((a & b) ^ (a & c) ^ (b & c));

            g += (((d >> 14) | (d << 50)) ^ ((d >> 18) | (d << 46)) ^ ((d >> 41) | (d << 23))) + ((d & e) ^ (~d & f)) + K[t + 1] + w[t + 1];
            c += g;
            g += (((h >> 28) | (h << 36)) ^ ((h >> 34) | (h << 30)) ^ ((h >> 39) | (h << 25))) + ((h & a) ^ (h & b) ^ (a & b));

            f += (((c >> 14) | (c << 50)) ^ ((c >> 18) | (c << 46)) ^ ((c >> 41) | (c << 23))) + ((c & d) ^ (~c & e)) + K[t + 2] + w[t + 2];
            b += f;
            f += (((g >> 28) | (g << 36)) ^ ((g >> 34) | (g << 30)) ^ ((g >> 39) | (g << 25))) + ((g & h) ^ (g & a) ^ (h & a));

            e += (((b >> 14) | (b << 50)) ^ ((b >> 18) | (b << 46)) ^ ((b >> 41) | (b << 23))) + ((b & c) ^ (~b & d)) + K[t + 3] + w[t + 3];
            a += e;
            e += (((f >> 28) | (f << 36)) ^ ((f >> 34) | (f << 30)) ^ ((f >> 39) | (f << 25))) + ((f & g) ^ (f & h) ^ (g & h));

            d += (((a >> 14) | (a << 50)) ^ ((a >> 18) | (a << 46)) ^ ((a >> 41) | (a << 23))) + ((a & b) ^ (~a & c)) + K[t + 4] + w[t + 4];
            h += d;
            d += (((e >> 28) | (e << 36)) ^ ((e >> 34) | (e << 30)) ^ ((e >> 39) | (e << 25))) + ((e & f) ^ (e & g) ^ (f & g));

            c += (((h >> 14) | (h << 50)) ^ ((h >> 18) | (h << 46)) ^ ((h >> 41) | (h << 23))) + ((h & a) ^ (~h & b)) + K[t + 5] + w[t + 5];
            g += c;
            c += (((d >> 28) | (d << 36)) ^ ((d >> 34) | (d << 30)) ^ ((d >> 39) | (d << 25))) + ((d & e) ^ (d & f) ^ (e & f));

            b += (((g >> 14) | (g << 50)) ^ ((g >> 18) | (g << 46)) ^ ((g >> 41) | (g << 23))) + ((g & h) ^ (~g & a)) + K[t + 6] + w[t + 6];
            f += b;
            b += (((c >> 28) | (c << 36)) ^ ((c >> 34) | (c << 30)) ^ ((c >> 39) | (c << 25))) + ((c & d) ^ (c & e) ^ (d & e));

            a += (((f >> 14) | (f << 50)) ^ ((f >> 18) | (f << 46)) ^ ((f >> 41) | (f << 23))) + ((f & g) ^ (~f & h)) + K[t + 7] + w[t + 7];
            e += a;
            a += (((b >> 28) | (b << 36)) ^ ((b >> 34) | (b << 30)) ^ ((b >> 39) | (b << 25))) + ((b & c) ^ (b & d) ^ (c & d));
        }

        _state[0] += a;
        _state[1] += b;
        _state[2] += c;
        _state[3] += d;
        _state[4] += e;
        _state[5] += f;
        _state[6] += g;
        _state[7] += h;
    }
}
