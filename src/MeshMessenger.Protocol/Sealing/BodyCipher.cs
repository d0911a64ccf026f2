using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Protocol.Sealing;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439 §2.8) for entry bodies. The nonce is 8 zero bytes and the big-endian
/// sequence number: every key is specific to one author (and one recipient or channel), and an author
/// never reuses a sequence number, so a (key, nonce) pair never repeats without a chain fork, which
/// peers detect. The entry header is the associated data, binding the ciphertext to author, sequence,
/// kind and hint. Costs 16 bytes (the tag) and no nonce bytes on air.
/// </summary>
public static class BodyCipher
{
    /// <summary>Bytes a sealed body adds to its plaintext.</summary>
    public const int Overhead = ChaCha20Poly1305.TagSize;

    /// <summary>Encrypts <paramref name="plaintext"/> for the entry whose header is <paramref name="header"/>.</summary>
    public static byte[] Seal(byte[] key, uint sequence, byte[] header, byte[] plaintext)
    {
        var aead = new ChaCha20Poly1305(key, 0);
        var output = new byte[plaintext.Length + Overhead];
        aead.Encrypt(Nonce(sequence), 0, ChaCha20Poly1305.NonceSize, plaintext, 0, plaintext.Length, header, 0, header.Length, output, 0);
        aead.Wipe();
        return output;
    }

    /// <summary>Decrypts an entry's body; null if the key is wrong or anything was altered.</summary>
    public static byte[]? Open(byte[] key, Entry entry)
    {
        if (entry.BodyLength < Overhead)
        {
            return null;
        }

        var aead = new ChaCha20Poly1305(key, 0);
        var plaintext = new byte[entry.BodyLength - Overhead];
        bool ok = aead.Decrypt(Nonce(entry.Sequence), 0, ChaCha20Poly1305.NonceSize, entry.Encoded, entry.BodyOffset, entry.BodyLength, entry.Encoded, 0, entry.HeaderLength, plaintext, 0);
        aead.Wipe();
        return ok ? plaintext : null;
    }

    private static byte[] Nonce(uint sequence)
    {
        var nonce = new byte[ChaCha20Poly1305.NonceSize];
        CryptoBytes.StoreUInt32BigEndian(sequence, nonce, 8);
        return nonce;
    }
}
