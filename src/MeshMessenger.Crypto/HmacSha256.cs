using System;

namespace MeshMessenger.Crypto;

/// <summary>HMAC-SHA-256 (RFC 2104, FIPS 198-1). Keeps the keyed inner and outer pads; no allocation per message.</summary>
public sealed class HmacSha256
{
    public const int MacSize = 32;

    private readonly Sha256 _inner = new Sha256();
    private readonly Sha256 _outer = new Sha256();
    private readonly byte[] _innerPad = new byte[Sha256.BlockSize];
    private readonly byte[] _outerPad = new byte[Sha256.BlockSize];
    private readonly byte[] _innerHash = new byte[Sha256.HashSize];

    public HmacSha256(byte[] key, int offset, int count)
    {
        CryptoBytes.CheckRange(key, offset, count, nameof(key));

        // RFC 2104 §2: keys longer than the block are hashed first; shorter ones are zero-padded.
        if (count > Sha256.BlockSize)
        {
            Sha256.Hash(key, offset, count, _innerPad, 0);
        }
        else
        {
            Array.Copy(key, offset, _innerPad, 0, count);
        }

        for (int i = 0; i < Sha256.BlockSize; i++)
        {
            _outerPad[i] = (byte)(_innerPad[i] ^ 0x5c);
            _innerPad[i] = (byte)(_innerPad[i] ^ 0x36);
        }

        Reset();
    }

    public void Reset()
    {
        _inner.Reset();
        _inner.Update(_innerPad, 0, Sha256.BlockSize);
    }

    public void Update(byte[] data, int offset, int count)
    {
        _inner.Update(data, offset, count);
    }

    public void Finish(byte[] output, int offset)
    {
        CryptoBytes.CheckRange(output, offset, MacSize, nameof(output));
        _inner.Finish(_innerHash, 0);
        _outer.Reset();
        _outer.Update(_outerPad, 0, Sha256.BlockSize);
        _outer.Update(_innerHash, 0, Sha256.HashSize);
        _outer.Finish(output, offset);
        Reset();
    }

    public static void Compute(byte[] key, int keyOffset, int keyCount, byte[] data, int dataOffset, int dataCount, byte[] output, int outputOffset)
    {
        var mac = new HmacSha256(key, keyOffset, keyCount);
        mac.Update(data, dataOffset, dataCount);
        mac.Finish(output, outputOffset);
    }
}
