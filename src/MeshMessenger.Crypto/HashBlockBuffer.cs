using System;

namespace MeshMessenger.Crypto;

/// <summary>Compresses one block of a Merkle–Damgård hash.</summary>
internal delegate void BlockCompressor(byte[] block, int offset);

/// <summary>
/// The buffering and padding that SHA-256 and SHA-512 share (FIPS 180-4 §5.1): whole blocks go straight from
/// the caller's array to the compression function; a partial block waits in a reused buffer.
/// </summary>
internal sealed class HashBlockBuffer
{
    private readonly byte[] _buffer;
    private readonly BlockCompressor _compress;
    private int _buffered;

    public HashBlockBuffer(int blockSize, BlockCompressor compress)
    {
        _buffer = new byte[blockSize];
        _compress = compress;
    }

    /// <summary>Bytes hashed so far.</summary>
    public ulong Length { get; private set; }

    public void Reset()
    {
        _buffered = 0;
        Length = 0;
        CryptoBytes.Wipe(_buffer, 0, _buffer.Length);
    }

    public void Update(byte[] data, int offset, int count)
    {
        CryptoBytes.CheckRange(data, offset, count, nameof(data));
        int blockSize = _buffer.Length;
        Length += (ulong)count;
        if (_buffered > 0)
        {
            int take = blockSize - _buffered < count ? blockSize - _buffered : count;
            Array.Copy(data, offset, _buffer, _buffered, take);
            _buffered += take;
            offset += take;
            count -= take;
            if (_buffered < blockSize)
            {
                return;
            }

            _compress(_buffer, 0);
            _buffered = 0;
        }

        while (count >= blockSize)
        {
            _compress(data, offset);
            offset += blockSize;
            count -= blockSize;
        }

        if (count > 0)
        {
            Array.Copy(data, offset, _buffer, 0, count);
            _buffered = count;
        }
    }

    /// <summary>
    /// FIPS 180-4 §5.1.1/§5.1.2: append 0x80, zeros, and the message length in bits as a big-endian field of
    /// <paramref name="lengthFieldSize"/> bytes (8 for SHA-256, 16 for SHA-512), then compress the last block(s).
    /// </summary>
    public void Pad(int lengthFieldSize)
    {
        int blockSize = _buffer.Length;
        _buffer[_buffered++] = 0x80;
        if (_buffered > blockSize - lengthFieldSize)
        {
            CryptoBytes.Wipe(_buffer, _buffered, blockSize - _buffered);
            _compress(_buffer, 0);
            _buffered = 0;
        }

        CryptoBytes.Wipe(_buffer, _buffered, blockSize - 8 - _buffered);
        if (lengthFieldSize == 16)
        {
            // The high 64 bits of a 128-bit bit count: lengths here are below 2^64 bytes.
            CryptoBytes.StoreUInt64BigEndian(Length >> 61, _buffer, blockSize - 16);
        }

        CryptoBytes.StoreUInt64BigEndian(Length << 3, _buffer, blockSize - 8);
        _compress(_buffer, 0);
    }
}
