namespace MeshMessenger.Crypto;

/// <summary>
/// The Poly1305 one-time authenticator (RFC 8439 §2.5), over 26-bit limbs so that every product fits a 64-bit
/// integer on a 32-bit microcontroller. Constant time: the final reduction selects with masks, not branches.
/// </summary>
public sealed class Poly1305
{
    public const int KeySize = 32;
    public const int TagSize = 16;

    private const uint Mask26 = 0x3ffffff;

    private readonly byte[] _block = new byte[16];
    private uint _r0, _r1, _r2, _r3, _r4;
    private uint _s1, _s2, _s3, _s4;
    private uint _h0, _h1, _h2, _h3, _h4;
    private uint _pad0, _pad1, _pad2, _pad3;
    private int _buffered;

    public void Init(byte[] key, int offset)
    {
        CryptoBytes.CheckRange(key, offset, KeySize, nameof(key));

        // RFC 8439 §2.5.1: clamp r (top four bits of bytes 3, 7, 11, 15 and bottom two of 4, 8, 12 cleared).
        uint t0 = CryptoBytes.LoadUInt32LittleEndian(key, offset);
        uint t1 = CryptoBytes.LoadUInt32LittleEndian(key, offset + 4);
        uint t2 = CryptoBytes.LoadUInt32LittleEndian(key, offset + 8);
        uint t3 = CryptoBytes.LoadUInt32LittleEndian(key, offset + 12);
        _r0 = t0 & 0x3ffffff;
        _r1 = ((t0 >> 26) | (t1 << 6)) & 0x3ffff03;
        _r2 = ((t1 >> 20) | (t2 << 12)) & 0x3ffc0ff;
        _r3 = ((t2 >> 14) | (t3 << 18)) & 0x3f03fff;
        _r4 = (t3 >> 8) & 0x00fffff;

        // 2^130 = 5 (mod 2^130 - 5): limbs that wrap past 2^130 are multiplied by 5.
        _s1 = _r1 * 5;
        _s2 = _r2 * 5;
        _s3 = _r3 * 5;
        _s4 = _r4 * 5;

        _pad0 = CryptoBytes.LoadUInt32LittleEndian(key, offset + 16);
        _pad1 = CryptoBytes.LoadUInt32LittleEndian(key, offset + 20);
        _pad2 = CryptoBytes.LoadUInt32LittleEndian(key, offset + 24);
        _pad3 = CryptoBytes.LoadUInt32LittleEndian(key, offset + 28);

        _h0 = _h1 = _h2 = _h3 = _h4 = 0;
        _buffered = 0;
    }

    public void Update(byte[] data, int offset, int count)
    {
        CryptoBytes.CheckRange(data, offset, count, nameof(data));
        if (_buffered > 0)
        {
            while (_buffered < 16 && count > 0)
            {
                _block[_buffered++] = data[offset++];
                count--;
            }

            if (_buffered < 16)
            {
                return;
            }

            ProcessBlock(_block, 0, 1u << 24);
            _buffered = 0;
        }

        while (count >= 16)
        {
            ProcessBlock(data, offset, 1u << 24);
            offset += 16;
            count -= 16;
        }

        while (count > 0)
        {
            _block[_buffered++] = data[offset++];
            count--;
        }
    }

    public void Finish(byte[] tag, int offset)
    {
        CryptoBytes.CheckRange(tag, offset, TagSize, nameof(tag));
        if (_buffered > 0)
        {
            // RFC 8439 §2.5.1: a short last block gets a 0x01 byte appended instead of the 2^128 bit.
            _block[_buffered] = 1;
            for (int i = _buffered + 1; i < 16; i++)
            {
                _block[i] = 0;
            }

            ProcessBlock(_block, 0, 0);
            _buffered = 0;
        }

        // Fully carry h.
        uint h0 = _h0, h1 = _h1, h2 = _h2, h3 = _h3, h4 = _h4;
        uint c = h1 >> 26; h1 &= Mask26; h2 += c;
        c = h2 >> 26; h2 &= Mask26; h3 += c;
        c = h3 >> 26; h3 &= Mask26; h4 += c;
        c = h4 >> 26; h4 &= Mask26; h0 += c * 5;
        c = h0 >> 26; h0 &= Mask26; h1 += c;

        // g = h + 5 - 2^130; if it did not borrow, h >= p and g is the reduced value.
        uint g0 = h0 + 5; c = g0 >> 26; g0 &= Mask26;
        uint g1 = h1 + c; c = g1 >> 26; g1 &= Mask26;
        uint g2 = h2 + c; c = g2 >> 26; g2 &= Mask26;
        uint g3 = h3 + c; c = g3 >> 26; g3 &= Mask26;
        uint g4 = h4 + c - (1u << 26);
        uint useG = (g4 >> 31) - 1;
        uint useH = ~useG;
        h0 = (h0 & useH) | (g0 & useG);
        h1 = (h1 & useH) | (g1 & useG);
        h2 = (h2 & useH) | (g2 & useG);
        h3 = (h3 & useH) | (g3 & useG);
        h4 = (h4 & useH) | (g4 & useG);

        // RFC 8439 §2.5.1: tag = (h + s) mod 2^128.
        ulong f = (ulong)(h0 | (h1 << 26)) + _pad0;
        CryptoBytes.StoreUInt32LittleEndian((uint)f, tag, offset);
        f = (ulong)((h1 >> 6) | (h2 << 20)) + _pad1 + (f >> 32);
        CryptoBytes.StoreUInt32LittleEndian((uint)f, tag, offset + 4);
        f = (ulong)((h2 >> 12) | (h3 << 14)) + _pad2 + (f >> 32);
        CryptoBytes.StoreUInt32LittleEndian((uint)f, tag, offset + 8);
        f = (ulong)((h3 >> 18) | (h4 << 8)) + _pad3 + (f >> 32);
        CryptoBytes.StoreUInt32LittleEndian((uint)f, tag, offset + 12);

        _h0 = _h1 = _h2 = _h3 = _h4 = 0;
        _r0 = _r1 = _r2 = _r3 = _r4 = 0;
        _s1 = _s2 = _s3 = _s4 = 0;
        _pad0 = _pad1 = _pad2 = _pad3 = 0;
        CryptoBytes.Wipe(_block, 0, _block.Length);
    }

    /// <summary>h = (h + block + hibit) * r mod 2^130 - 5.</summary>
    private void ProcessBlock(byte[] m, int offset, uint hibit)
    {
#if OPERATION_COUNT
        OperationCounters.Poly1305Blocks++;
#endif
        uint t0 = CryptoBytes.LoadUInt32LittleEndian(m, offset);
        uint t1 = CryptoBytes.LoadUInt32LittleEndian(m, offset + 4);
        uint t2 = CryptoBytes.LoadUInt32LittleEndian(m, offset + 8);
        uint t3 = CryptoBytes.LoadUInt32LittleEndian(m, offset + 12);
        ulong h0 = _h0 + (t0 & Mask26);
        ulong h1 = _h1 + (((t0 >> 26) | (t1 << 6)) & Mask26);
        ulong h2 = _h2 + (((t1 >> 20) | (t2 << 12)) & Mask26);
        ulong h3 = _h3 + (((t2 >> 14) | (t3 << 18)) & Mask26);
        ulong h4 = _h4 + ((t3 >> 8) | hibit);

        ulong r0 = _r0, r1 = _r1, r2 = _r2, r3 = _r3, r4 = _r4;
        ulong s1 = _s1, s2 = _s2, s3 = _s3, s4 = _s4;
        ulong d0 = (h0 * r0) + (h1 * s4) + (h2 * s3) + (h3 * s2) + (h4 * s1);
        ulong d1 = (h0 * r1) + (h1 * r0) + (h2 * s4) + (h3 * s3) + (h4 * s2);
        ulong d2 = (h0 * r2) + (h1 * r1) + (h2 * r0) + (h3 * s4) + (h4 * s3);
        ulong d3 = (h0 * r3) + (h1 * r2) + (h2 * r1) + (h3 * r0) + (h4 * s4);
        ulong d4 = (h0 * r4) + (h1 * r3) + (h2 * r2) + (h3 * r1) + (h4 * r0);

        ulong c = d0 >> 26; uint n0 = (uint)d0 & Mask26; d1 += c;
        c = d1 >> 26; uint n1 = (uint)d1 & Mask26; d2 += c;
        c = d2 >> 26; uint n2 = (uint)d2 & Mask26; d3 += c;
        c = d3 >> 26; uint n3 = (uint)d3 & Mask26; d4 += c;
        c = d4 >> 26; uint n4 = (uint)d4 & Mask26;
        ulong w0 = n0 + (c * 5);
        n0 = (uint)w0 & Mask26;
        n1 += (uint)(w0 >> 26);

        _h0 = n0;
        _h1 = n1;
        _h2 = n2;
        _h3 = n3;
        _h4 = n4;
    }
}
