using System;

namespace MeshMessenger.Crypto;

/// <summary>The ChaCha20 stream cipher with a 96-bit nonce and 32-bit block counter (RFC 8439 §2.3-2.4).</summary>
public static class ChaCha20
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int BlockSize = 64;

    public static void Block(byte[] key, int keyOffset, byte[] nonce, int nonceOffset, uint counter, byte[] output, int outputOffset)
    {
        CryptoBytes.CheckRange(output, outputOffset, BlockSize, nameof(output));
        var state = new uint[16];
        InitState(state, key, keyOffset, nonce, nonceOffset, counter);
        KeystreamBlock(state, output, outputOffset);
    }

    /// <summary>XORs <paramref name="count"/> bytes with the keystream starting at block <paramref name="initialCounter"/>; in place is fine.</summary>
    public static void Xor(byte[] key, int keyOffset, byte[] nonce, int nonceOffset, uint initialCounter, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        CryptoBytes.CheckRange(input, inputOffset, count, nameof(input));
        CryptoBytes.CheckRange(output, outputOffset, count, nameof(output));

        // RFC 8439 §2.3: the block counter is 32 bits; running past 2^32 - 1 would wrap and reuse keystream.
        if (initialCounter + (((ulong)count + BlockSize - 1) / BlockSize) > 0x100000000UL)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "the 32-bit ChaCha20 block counter would wrap (RFC 8439 §2.3)");
        }

        var state = new uint[16];
        InitState(state, key, keyOffset, nonce, nonceOffset, initialCounter);
        XorStream(state, new byte[BlockSize], input, inputOffset, count, output, outputOffset);
        Array.Clear(state, 0, state.Length);
    }

    /// <summary>RFC 8439 §2.3: constants, key, counter, nonce as little-endian words.</summary>
    internal static void InitState(uint[] state, byte[] key, int keyOffset, byte[] nonce, int nonceOffset, uint counter)
    {
        CryptoBytes.CheckRange(key, keyOffset, KeySize, nameof(key));
        CryptoBytes.CheckRange(nonce, nonceOffset, NonceSize, nameof(nonce));
        state[0] = 0x61707865;
        state[1] = 0x3320646e;
        state[2] = 0x79622d32;
        state[3] = 0x6b206574;
        for (int i = 0; i < 8; i++)
        {
            state[4 + i] = CryptoBytes.LoadUInt32LittleEndian(key, keyOffset + (4 * i));
        }

        state[12] = counter;
        state[13] = CryptoBytes.LoadUInt32LittleEndian(nonce, nonceOffset);
        state[14] = CryptoBytes.LoadUInt32LittleEndian(nonce, nonceOffset + 4);
        state[15] = CryptoBytes.LoadUInt32LittleEndian(nonce, nonceOffset + 8);
    }

    /// <summary>XORs with the keystream from <paramref name="state"/>, advancing its counter word once per block.</summary>
    internal static void XorStream(uint[] state, byte[] keystream, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        CryptoBytes.CheckRange(input, inputOffset, count, nameof(input));
        CryptoBytes.CheckRange(output, outputOffset, count, nameof(output));
        int done = 0;
        while (done < count)
        {
            KeystreamBlock(state, keystream, 0);
            state[12]++;
            int take = count - done < BlockSize ? count - done : BlockSize;
            for (int i = 0; i < take; i++)
            {
                output[outputOffset + done + i] = (byte)(input[inputOffset + done + i] ^ keystream[i]);
            }

            done += take;
        }

        CryptoBytes.Wipe(keystream, 0, BlockSize);
    }

    /// <summary>RFC 8439 §2.3: 20 rounds (10 column + diagonal double rounds), then add the input state.</summary>
    internal static void KeystreamBlock(uint[] state, byte[] output, int offset)
    {
#if OPERATION_COUNT
        OperationCounters.ChaCha20Blocks++;
#endif
        uint x0 = state[0], x1 = state[1], x2 = state[2], x3 = state[3];
        uint x4 = state[4], x5 = state[5], x6 = state[6], x7 = state[7];
        uint x8 = state[8], x9 = state[9], x10 = state[10], x11 = state[11];
        uint x12 = state[12], x13 = state[13], x14 = state[14], x15 = state[15];
        for (int round = 0; round < 10; round++)
        {
            // RFC 8439 §2.1 quarter round: a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12; ... 8; ... 7.
            x0 += x4; x12 ^= x0; x12 = (x12 << 16) | (x12 >> 16); x8 += x12; x4 ^= x8; x4 = (x4 << 12) | (x4 >> 20);
            x0 += x4; x12 ^= x0; x12 = (x12 << 8) | (x12 >> 24); x8 += x12; x4 ^= x8; x4 = (x4 << 7) | (x4 >> 25);
            x1 += x5; x13 ^= x1; x13 = (x13 << 16) | (x13 >> 16); x9 += x13; x5 ^= x9; x5 = (x5 << 12) | (x5 >> 20);
            x1 += x5; x13 ^= x1; x13 = (x13 << 8) | (x13 >> 24); x9 += x13; x5 ^= x9; x5 = (x5 << 7) | (x5 >> 25);
            x2 += x6; x14 ^= x2; x14 = (x14 << 16) | (x14 >> 16); x10 += x14; x6 ^= x10; x6 = (x6 << 12) | (x6 >> 20);
            x2 += x6; x14 ^= x2; x14 = (x14 << 8) | (x14 >> 24); x10 += x14; x6 ^= x10; x6 = (x6 << 7) | (x6 >> 25);
            x3 += x7; x15 ^= x3; x15 = (x15 << 16) | (x15 >> 16); x11 += x15; x7 ^= x11; x7 = (x7 << 12) | (x7 >> 20);
            x3 += x7; x15 ^= x3; x15 = (x15 << 8) | (x15 >> 24); x11 += x15; x7 ^= x11; x7 = (x7 << 7) | (x7 >> 25);

            x0 += x5; x15 ^= x0; x15 = (x15 << 16) | (x15 >> 16); x10 += x15; x5 ^= x10; x5 = (x5 << 12) | (x5 >> 20);
            x0 += x5; x15 ^= x0; x15 = (x15 << 8) | (x15 >> 24); x10 += x15; x5 ^= x10; x5 = (x5 << 7) | (x5 >> 25);
            x1 += x6; x12 ^= x1; x12 = (x12 << 16) | (x12 >> 16); x11 += x12; x6 ^= x11; x6 = (x6 << 12) | (x6 >> 20);
            x1 += x6; x12 ^= x1; x12 = (x12 << 8) | (x12 >> 24); x11 += x12; x6 ^= x11; x6 = (x6 << 7) | (x6 >> 25);
            x2 += x7; x13 ^= x2; x13 = (x13 << 16) | (x13 >> 16); x8 += x13; x7 ^= x8; x7 = (x7 << 12) | (x7 >> 20);
            x2 += x7; x13 ^= x2; x13 = (x13 << 8) | (x13 >> 24); x8 += x13; x7 ^= x8; x7 = (x7 << 7) | (x7 >> 25);
            x3 += x4; x14 ^= x3; x14 = (x14 << 16) | (x14 >> 16); x9 += x14; x4 ^= x9; x4 = (x4 << 12) | (x4 >> 20);
            x3 += x4; x14 ^= x3; x14 = (x14 << 8) | (x14 >> 24); x9 += x14; x4 ^= x9; x4 = (x4 << 7) | (x4 >> 25);
        }

        CryptoBytes.StoreUInt32LittleEndian(x0 + state[0], output, offset);
        CryptoBytes.StoreUInt32LittleEndian(x1 + state[1], output, offset + 4);
        CryptoBytes.StoreUInt32LittleEndian(x2 + state[2], output, offset + 8);
        CryptoBytes.StoreUInt32LittleEndian(x3 + state[3], output, offset + 12);
        CryptoBytes.StoreUInt32LittleEndian(x4 + state[4], output, offset + 16);
        CryptoBytes.StoreUInt32LittleEndian(x5 + state[5], output, offset + 20);
        CryptoBytes.StoreUInt32LittleEndian(x6 + state[6], output, offset + 24);
        CryptoBytes.StoreUInt32LittleEndian(x7 + state[7], output, offset + 28);
        CryptoBytes.StoreUInt32LittleEndian(x8 + state[8], output, offset + 32);
        CryptoBytes.StoreUInt32LittleEndian(x9 + state[9], output, offset + 36);
        CryptoBytes.StoreUInt32LittleEndian(x10 + state[10], output, offset + 40);
        CryptoBytes.StoreUInt32LittleEndian(x11 + state[11], output, offset + 44);
        CryptoBytes.StoreUInt32LittleEndian(x12 + state[12], output, offset + 48);
        CryptoBytes.StoreUInt32LittleEndian(x13 + state[13], output, offset + 52);
        CryptoBytes.StoreUInt32LittleEndian(x14 + state[14], output, offset + 56);
        CryptoBytes.StoreUInt32LittleEndian(x15 + state[15], output, offset + 60);
    }
}
