namespace MeshMessenger.Crypto;

/// <summary>SHA-256 (FIPS 180-4 §6.2). Incremental; no allocation after construction.</summary>
public sealed class Sha256
{
    public const int HashSize = 32;
    public const int BlockSize = 64;

    // FIPS 180-4 §4.2.2: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static readonly uint[] K =
    {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    private readonly uint[] _state = new uint[8];
    private readonly uint[] _w = new uint[64];
    private readonly HashBlockBuffer _blocks;

    public Sha256()
    {
        _blocks = new HashBlockBuffer(BlockSize, Compress);
        Reset();
    }

    public void Reset()
    {
        // FIPS 180-4 §5.3.3: initial hash value.
        _state[0] = 0x6a09e667;
        _state[1] = 0xbb67ae85;
        _state[2] = 0x3c6ef372;
        _state[3] = 0xa54ff53a;
        _state[4] = 0x510e527f;
        _state[5] = 0x9b05688c;
        _state[6] = 0x1f83d9ab;
        _state[7] = 0x5be0cd19;
        _blocks.Reset();
    }

    public void Update(byte[] data, int offset, int count)
    {
        _blocks.Update(data, offset, count);
    }

    public void Finish(byte[] output, int offset)
    {
        CryptoBytes.CheckRange(output, offset, HashSize, nameof(output));
        _blocks.Pad(8);

        for (int i = 0; i < 8; i++)
        {
            CryptoBytes.StoreUInt32BigEndian(_state[i], output, offset + (4 * i));
        }

        Reset();
    }

    public static void Hash(byte[] data, int offset, int count, byte[] output, int outputOffset)
    {
        var sha = new Sha256();
        sha.Update(data, offset, count);
        sha.Finish(output, outputOffset);
    }

    private void Compress(byte[] block, int offset)
    {
#if OPERATION_COUNT
        OperationCounters.Sha256Blocks++;
#endif
        uint[] w = _w;
        for (int t = 0; t < 16; t++)
        {
            w[t] = CryptoBytes.LoadUInt32BigEndian(block, offset + (4 * t));
        }

        // FIPS 180-4 §6.2.2 step 1: message schedule with σ0 and σ1 (§4.1.2).
        for (int t = 16; t < 64; t++)
        {
            uint x = w[t - 2];
            uint y = w[t - 15];
            uint s1 = ((x >> 17) | (x << 15)) ^ ((x >> 19) | (x << 13)) ^ (x >> 10);
            uint s0 = ((y >> 7) | (y << 25)) ^ ((y >> 18) | (y << 14)) ^ (y >> 3);
            w[t] = s1 + w[t - 7] + s0 + w[t - 16];
        }

        uint a = _state[0], b = _state[1], c = _state[2], d = _state[3];
        uint e = _state[4], f = _state[5], g = _state[6], h = _state[7];

        // FIPS 180-4 §6.2.2 steps 3-4, eight rounds per pass: instead of shifting the eight working variables
        // down each round, the roles rotate through the names, so a pass ends with them back in place.
        // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]; d += T1; h = T1 + Σ0(a) + Maj(a, b, c).
        for (int t = 0; t < 64; t += 8)
        {
            h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            d += h;
            h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c));

            g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + ((d & e) ^ (~d & f)) + K[t + 1] + w[t + 1];
            c += g;
            g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (h & b) ^ (a & b));

            f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + ((c & d) ^ (~c & e)) + K[t + 2] + w[t + 2];
            b += f;
            f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (g & a) ^ (h & a));

            e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + ((b & c) ^ (~b & d)) + K[t + 3] + w[t + 3];
            a += e;
            e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (f & h) ^ (g & h));

            d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + ((a & b) ^ (~a & c)) + K[t + 4] + w[t + 4];
            h += d;
            d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (e & g) ^ (f & g));

            c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + ((h & a) ^ (~h & b)) + K[t + 5] + w[t + 5];
            g += c;
            c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (d & f) ^ (e & f));

            b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + ((g & h) ^ (~g & a)) + K[t + 6] + w[t + 6];
            f += b;
            b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (c & e) ^ (d & e));

            a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + ((f & g) ^ (~f & h)) + K[t + 7] + w[t + 7];
            e += a;
            a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (b & d) ^ (c & d));
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
