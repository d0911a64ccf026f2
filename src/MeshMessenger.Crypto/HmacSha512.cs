using System;

namespace MeshMessenger.Crypto;

/// <summary>HMAC-SHA-512 (RFC 2104, FIPS 198-1). Keeps the keyed inner and outer pads; no allocation per message.</summary>
public sealed class HmacSha512
{
    /// <summary>Size of the MAC in bytes.</summary>
    public const int MacSize = 64;

    private readonly Sha512 _inner = new Sha512();
    private readonly Sha512 _outer = new Sha512();
    private readonly byte[] _innerPad = new byte[Sha512.BlockSize];
    private readonly byte[] _outerPad = new byte[Sha512.BlockSize];
    private readonly byte[] _innerHash = new byte[Sha512.HashSize];

    /// <summary>Keys the MAC with <paramref name="count"/> bytes of <paramref name="key"/> at <paramref name="offset"/>.</summary>
    public HmacSha512(byte[] key, int offset, int count)
    {
        CryptoBytes.CheckRange(key, offset, count, nameof(key));

        // RFC 2104 §2: keys longer than the block (128 bytes for SHA-512) are hashed first; shorter ones are zero-padded.
        if (count > Sha512.BlockSize)
        {
            Sha512.Hash(key, offset, count, _innerPad, 0);
        }
        else
        {
            Array.Copy(key, offset, _innerPad, 0, count);
        }

        for (int i = 0; i < Sha512.BlockSize; i++)
        {
            _outerPad[i] = (byte)(_innerPad[i] ^ 0x5c);
            _innerPad[i] = (byte)(_innerPad[i] ^ 0x36);
        }

        Reset();
    }

    /// <summary>Starts a new message under the same key.</summary>
    public void Reset()
    {
        _inner.Reset();
        _inner.Update(_innerPad, 0, Sha512.BlockSize);
    }

    /// <summary>Adds message bytes.</summary>
    public void Update(byte[] data, int offset, int count)
    {
        _inner.Update(data, offset, count);
    }

    /// <summary>Writes the 64-byte MAC at <paramref name="offset"/> and resets for the next message.</summary>
    public void Finish(byte[] output, int offset)
    {
        CryptoBytes.CheckRange(output, offset, MacSize, nameof(output));
        _inner.Finish(_innerHash, 0);
        _outer.Reset();
        _outer.Update(_outerPad, 0, Sha512.BlockSize);
        _outer.Update(_innerHash, 0, Sha512.HashSize);
        _outer.Finish(output, offset);
        Reset();
    }

    /// <summary>One-shot HMAC-SHA-512.</summary>
    public static void Compute(byte[] key, int keyOffset, int keyCount, byte[] data, int dataOffset, int dataCount, byte[] output, int outputOffset)
    {
        var mac = new HmacSha512(key, keyOffset, keyCount);
        mac.Update(data, dataOffset, dataCount);
        mac.Finish(output, outputOffset);
    }
}
