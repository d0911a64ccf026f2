using System;

namespace MeshMessenger.Crypto;

/// <summary>
/// The ChaCha20-Poly1305 AEAD (RFC 8439 §2.8): 32-byte key, 12-byte nonce, 16-byte tag appended to the
/// ciphertext. One instance per key; it reuses its buffers, so sealing allocates nothing.
/// </summary>
public sealed class ChaCha20Poly1305
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    private static readonly byte[] ZeroPad = new byte[16];

    private readonly byte[] _key = new byte[KeySize];
    private readonly uint[] _state = new uint[16];
    private readonly byte[] _keystream = new byte[ChaCha20.BlockSize];
    private readonly byte[] _lengths = new byte[16];
    private readonly byte[] _tag = new byte[TagSize];
    private readonly Poly1305 _poly = new Poly1305();

    public ChaCha20Poly1305(byte[] key, int offset)
    {
        CryptoBytes.CheckRange(key, offset, KeySize, nameof(key));
        Array.Copy(key, offset, _key, 0, KeySize);
    }

    /// <summary>Writes <paramref name="plaintextCount"/> + 16 bytes to <paramref name="output"/>: ciphertext, then tag.</summary>
    public void Encrypt(byte[] nonce, int nonceOffset, int nonceCount, byte[] plaintext, int plaintextOffset, int plaintextCount, byte[]? aad, int aadOffset, int aadCount, byte[] output, int outputOffset)
    {
        CheckNonce(nonce, nonceOffset, nonceCount);
        CheckAad(aad, aadOffset, aadCount);
        CryptoBytes.CheckRange(plaintext, plaintextOffset, plaintextCount, nameof(plaintext));
        CryptoBytes.CheckRange(output, outputOffset, plaintextCount + TagSize, nameof(output));

        // RFC 8439 §2.8: block 0 keys Poly1305 (§2.6), encryption starts at block 1.
        StartPoly(nonce, nonceOffset);
        ChaCha20.XorStream(_state, _keystream, plaintext, plaintextOffset, plaintextCount, output, outputOffset);
        ComputeTag(aad, aadOffset, aadCount, output, outputOffset, plaintextCount, output, outputOffset + plaintextCount);
    }

    /// <summary>
    /// Checks the tag of <paramref name="input"/> (ciphertext then tag) and, only if it holds, decrypts into
    /// <paramref name="output"/>. Returns false, writing nothing, when the tag does not match.
    /// </summary>
    public bool Decrypt(byte[] nonce, int nonceOffset, int nonceCount, byte[] input, int inputOffset, int inputCount, byte[]? aad, int aadOffset, int aadCount, byte[] output, int outputOffset)
    {
        CheckNonce(nonce, nonceOffset, nonceCount);
        CheckAad(aad, aadOffset, aadCount);
        if (inputCount < TagSize)
        {
            return false;
        }

        CryptoBytes.CheckRange(input, inputOffset, inputCount, nameof(input));
        int ciphertextCount = inputCount - TagSize;
        CryptoBytes.CheckRange(output, outputOffset, ciphertextCount, nameof(output));

        StartPoly(nonce, nonceOffset);
        ComputeTag(aad, aadOffset, aadCount, input, inputOffset, ciphertextCount, _tag, 0);
        bool authentic = CryptoBytes.ConstantTimeEquals(_tag, 0, input, inputOffset + ciphertextCount, TagSize);
        CryptoBytes.Wipe(_tag, 0, TagSize);
        if (!authentic)
        {
            Array.Clear(_state, 0, _state.Length);
            return false;
        }

        ChaCha20.XorStream(_state, _keystream, input, inputOffset, ciphertextCount, output, outputOffset);
        Array.Clear(_state, 0, _state.Length);
        return true;
    }

    /// <summary>Erases the key from memory; the instance is unusable afterwards.</summary>
    public void Wipe()
    {
        CryptoBytes.Wipe(_key, 0, KeySize);
        Array.Clear(_state, 0, _state.Length);
    }

    private static void CheckNonce(byte[] nonce, int nonceOffset, int nonceCount)
    {
        if (nonceCount != NonceSize)
        {
            throw new ArgumentException("ChaCha20-Poly1305 takes a 12-byte nonce (RFC 8439 §2.8)", nameof(nonceCount));
        }

        CryptoBytes.CheckRange(nonce, nonceOffset, nonceCount, nameof(nonce));
    }

    /// <summary>
    /// Validates the associated data before anything is written, so that a bad range cannot leave a half-sealed
    /// (or, in place, half-overwritten) buffer behind. Null means none and then requires a zero count.
    /// </summary>
    private static void CheckAad(byte[]? aad, int aadOffset, int aadCount)
    {
        if (aad == null)
        {
            if (aadCount != 0)
            {
                throw new ArgumentNullException(nameof(aad));
            }

            return;
        }

        CryptoBytes.CheckRange(aad, aadOffset, aadCount, nameof(aad));
    }

    /// <summary>RFC 8439 §2.6: the one-time Poly1305 key is the first 32 bytes of ChaCha20 block 0.</summary>
    private void StartPoly(byte[] nonce, int nonceOffset)
    {
        ChaCha20.InitState(_state, _key, 0, nonce, nonceOffset, 0);
        ChaCha20.KeystreamBlock(_state, _keystream, 0);
        _poly.Init(_keystream, 0);
        CryptoBytes.Wipe(_keystream, 0, _keystream.Length);
        _state[12] = 1;
    }

    /// <summary>RFC 8439 §2.8: mac over aad | pad16 | ciphertext | pad16 | le64(aad length) | le64(ciphertext length).</summary>
    private void ComputeTag(byte[]? aad, int aadOffset, int aadCount, byte[] ciphertext, int ciphertextOffset, int ciphertextCount, byte[] tag, int tagOffset)
    {
        if (aad != null && aadCount > 0)
        {
            _poly.Update(aad, aadOffset, aadCount);
            _poly.Update(ZeroPad, 0, (16 - (aadCount & 15)) & 15);
        }
        else
        {
            aadCount = 0;
        }

        _poly.Update(ciphertext, ciphertextOffset, ciphertextCount);
        _poly.Update(ZeroPad, 0, (16 - (ciphertextCount & 15)) & 15);
        CryptoBytes.StoreUInt64LittleEndian((ulong)aadCount, _lengths, 0);
        CryptoBytes.StoreUInt64LittleEndian((ulong)ciphertextCount, _lengths, 8);
        _poly.Update(_lengths, 0, 16);
        _poly.Finish(tag, tagOffset);
    }
}
