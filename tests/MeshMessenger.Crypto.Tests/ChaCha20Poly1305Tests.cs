using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto.Parameters;
using BcAead = Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305;

namespace MeshMessenger.Crypto.Tests;

/// <summary>AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8): RFC vectors, every Wycheproof vector, BouncyCastle, tampering.</summary>
public sealed class ChaCha20Poly1305Tests
{
    private const byte Untouched = 0xa5;

    [Fact]
    public void Rfc8439_aead_vectors_seal_and_open()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc8439-aead.txt");
        Assert.Equal(2, file.Cases.Count);
        var failures = new List<string>();
        foreach (RfcVector v in file.Cases)
        {
            byte[] key = v.Bytes("key");
            byte[] nonce = v.Bytes("nonce");
            byte[] aad = v.Bytes("aad");
            byte[] plaintext = v.Bytes("plaintext");
            byte[] expected = [.. v.Bytes("ciphertext"), .. v.Bytes("tag")];
            byte[] reference = BouncyCastleSeal(key, nonce, aad, plaintext);
            if (!expected.AsSpan().SequenceEqual(reference))
            {
                failures.Add($"{v}: the file disagrees with BouncyCastle ({Hex.Encode(reference)})");
            }

            var aead = new ChaCha20Poly1305(key, 0);
            byte[] sealedBytes = new byte[plaintext.Length + ChaCha20Poly1305.TagSize];
            aead.Encrypt(nonce, 0, nonce.Length, plaintext, 0, plaintext.Length, aad, 0, aad.Length, sealedBytes, 0);
            if (!expected.AsSpan().SequenceEqual(sealedBytes))
            {
                failures.Add($"{v}: sealed {Hex.Encode(sealedBytes)}");
            }

            byte[] opened = new byte[plaintext.Length];
            if (!aead.Decrypt(nonce, 0, nonce.Length, expected, 0, expected.Length, aad, 0, aad.Length, opened, 0) || !opened.AsSpan().SequenceEqual(plaintext))
            {
                failures.Add($"{v}: did not open to the plaintext");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Wycheproof_chacha20_poly1305()
    {
        WycheproofFile file = WycheproofFile.Load("chacha20_poly1305_test.json");
        var failures = new List<string>();
        int run = 0;
        foreach (WycheproofCase c in file.Cases)
        {
            run++;
            byte[] key = c.Bytes("key");
            byte[] iv = c.Bytes("iv");
            byte[] aad = c.Bytes("aad");
            byte[] msg = c.Bytes("msg");
            byte[] input = [.. c.Bytes("ct"), .. c.Bytes("tag")];
            var aead = new ChaCha20Poly1305(key, 0);
            byte[] opened = Filled(Math.Max(0, input.Length - ChaCha20Poly1305.TagSize));
            byte[] sealedBytes = new byte[msg.Length + ChaCha20Poly1305.TagSize];

            if (c.Flags.Contains("InvalidNonceSize"))
            {
                // A nonce that is not 96 bits is a caller error (RFC 8439 §2.8: N_MIN = N_MAX = 12 octets).
                bool encryptThrows = ThrowsExactlyArgumentException(() => aead.Encrypt(iv, 0, iv.Length, msg, 0, msg.Length, aad, 0, aad.Length, sealedBytes, 0));
                bool decryptThrows = ThrowsExactlyArgumentException(() => aead.Decrypt(iv, 0, iv.Length, input, 0, input.Length, aad, 0, aad.Length, opened, 0));
                if (!encryptThrows || !decryptThrows || c.Result == "valid")
                {
                    failures.Add($"{c}: Encrypt threw {encryptThrows}, Decrypt threw {decryptThrows}");
                }

                continue;
            }

            bool accepted = aead.Decrypt(iv, 0, iv.Length, input, 0, input.Length, aad, 0, aad.Length, opened, 0);
            if (c.Result == "valid")
            {
                aead.Encrypt(iv, 0, iv.Length, msg, 0, msg.Length, aad, 0, aad.Length, sealedBytes, 0);
                if (!accepted || !opened.AsSpan().SequenceEqual(msg) || !sealedBytes.AsSpan().SequenceEqual(input))
                {
                    failures.Add($"{c}: accepted {accepted}, sealed {Hex.Encode(sealedBytes)}");
                }
            }
            else if (accepted || opened.AsSpan().ContainsAnyExcept(Untouched))
            {
                failures.Add($"{c}: accepted {accepted}, or wrote to the output");
            }
        }

        Assert.Equal(file.NumberOfTests, run);
        Assert.Empty(failures);
    }

    [Fact]
    public void Matches_BouncyCastle_on_10000_random_messages_and_rejects_every_tampering()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[12], Gen.Byte.Array[0, 64], Gen.Bool, Gen.Byte.Array[0, 600], Gen.Int[0, int.MaxValue])
            .Sample((key, nonce, aad, nullAad, plaintext, pick) =>
            {
                byte[]? aadOrNull = nullAad && aad.Length == 0 ? null : aad;
                var aead = new ChaCha20Poly1305(key, 0);
                byte[] sealedBytes = new byte[plaintext.Length + 16];
                aead.Encrypt(nonce, 0, 12, plaintext, 0, plaintext.Length, aadOrNull, 0, aad.Length, sealedBytes, 0);
                Assert.True(sealedBytes.AsSpan().SequenceEqual(BouncyCastleSeal(key, nonce, aad, plaintext)), "sealed output differs from BouncyCastle");

                byte[] opened = new byte[plaintext.Length];
                Assert.True(aead.Decrypt(nonce, 0, 12, sealedBytes, 0, sealedBytes.Length, aadOrNull, 0, aad.Length, opened, 0), "authentic message refused");
                Assert.True(opened.AsSpan().SequenceEqual(plaintext), "opened plaintext differs");

                // One flipped bit in the tag, in the ciphertext, in the associated data, or in the nonce: refused,
                // and the output is left as it was.
                byte bit = (byte)(1 << (pick % 8));
                byte[] badTag = (byte[])sealedBytes.Clone();
                badTag[plaintext.Length + (pick % 16)] ^= bit;
                AssertRefused(aead, nonce, badTag, aad, "tag");
                if (plaintext.Length > 0)
                {
                    byte[] badCiphertext = (byte[])sealedBytes.Clone();
                    badCiphertext[pick % plaintext.Length] ^= bit;
                    AssertRefused(aead, nonce, badCiphertext, aad, "ciphertext");
                }

                if (aad.Length > 0)
                {
                    byte[] badAad = (byte[])aad.Clone();
                    badAad[pick % aad.Length] ^= bit;
                    AssertRefused(aead, nonce, sealedBytes, badAad, "associated data");
                    AssertRefused(aead, nonce, sealedBytes, aad[..^1], "truncated associated data");
                }

                byte[] badNonce = (byte[])nonce.Clone();
                badNonce[pick % 12] ^= bit;
                AssertRefused(aead, badNonce, sealedBytes, aad, "nonce");
                AssertRefused(aead, nonce, sealedBytes[1..], aad, "truncated message");
            }, iter: 10_000);
    }

    [Fact]
    public void Seals_and_opens_in_place_at_an_offset()
    {
        byte[] key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        byte[] nonce = Enumerable.Range(100, 12).Select(i => (byte)i).ToArray();
        byte[] aad = "header"u8.ToArray();
        var aead = new ChaCha20Poly1305(key, 0);
        for (int length = 0; length < 200; length += 7)
        {
            byte[] plaintext = Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();
            byte[] buffer = Filled(5 + length + 16 + 3);
            plaintext.CopyTo(buffer, 5);
            aead.Encrypt(nonce, 0, 12, buffer, 5, length, aad, 0, aad.Length, buffer, 5);
            Assert.Equal(BouncyCastleSeal(key, nonce, aad, plaintext), buffer[5..^3]);
            Assert.True(aead.Decrypt(nonce, 0, 12, buffer, 5, length + 16, aad, 0, aad.Length, buffer, 5));
            Assert.Equal(plaintext, buffer[5..(5 + length)]);
            Assert.False(buffer[..5].Concat(buffer[^3..]).Any(b => b != Untouched), "wrote outside the range");
        }
    }

    [Fact]
    public void Null_and_empty_associated_data_are_the_same_and_the_key_is_copied()
    {
        byte[] key = new byte[32];
        key[31] = 1;
        byte[] nonce = new byte[12];
        byte[] plaintext = "hello"u8.ToArray();
        var aead = new ChaCha20Poly1305(key, 0);
        key[31] = 2;
        byte[] withNull = new byte[21];
        byte[] withEmpty = new byte[21];
        aead.Encrypt(nonce, 0, 12, plaintext, 0, 5, null, 0, 0, withNull, 0);
        aead.Encrypt(nonce, 0, 12, plaintext, 0, 5, [], 0, 0, withEmpty, 0);
        key[31] = 1;
        Assert.Equal(BouncyCastleSeal(key, nonce, [], plaintext), withNull);
        Assert.Equal(withNull, withEmpty);
        Assert.True(aead.Decrypt(nonce, 0, 12, withNull, 0, 21, [], 0, 0, new byte[5], 0));

        // After Wipe the key is gone: the old ciphertext no longer opens.
        aead.Wipe();
        Assert.False(aead.Decrypt(nonce, 0, 12, withNull, 0, 21, null, 0, 0, new byte[5], 0));
    }

    [Fact]
    public void Input_shorter_than_a_tag_is_refused_without_writing()
    {
        var aead = new ChaCha20Poly1305(new byte[32], 0);
        byte[] nonce = new byte[12];
        for (int count = 0; count < 16; count++)
        {
            byte[] output = Filled(16);
            Assert.False(aead.Decrypt(nonce, 0, 12, new byte[16], 0, count, null, 0, 0, output, 0));
            Assert.False(output.AsSpan().ContainsAnyExcept(Untouched));
        }

        Assert.False(aead.Decrypt(nonce, 0, 12, new byte[16], 0, -1, null, 0, 0, new byte[16], 0));
    }

    [Fact]
    public void Bad_nonce_sizes_and_ranges_throw_before_anything_is_written()
    {
        var aead = new ChaCha20Poly1305(new byte[32], 0);
        byte[] nonce = new byte[16];
        byte[] plaintext = new byte[20];
        byte[] output = new byte[36];
        foreach (int size in new[] { 0, 8, 11, 13, 16 })
        {
            Assert.True(ThrowsExactlyArgumentException(() => aead.Encrypt(nonce, 0, size, plaintext, 0, 20, null, 0, 0, output, 0)), $"Encrypt, nonce of {size}");
            Assert.True(ThrowsExactlyArgumentException(() => aead.Decrypt(nonce, 0, size, output, 0, 36, null, 0, 0, plaintext, 0)), $"Decrypt, nonce of {size}");
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Encrypt(nonce, 5, 12, plaintext, 0, 20, null, 0, 0, output, 0));
        Assert.Throws<ArgumentNullException>(() => aead.Encrypt(null!, 0, 12, plaintext, 0, 20, null, 0, 0, output, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Encrypt(nonce, 0, 12, plaintext, 0, 20, null, 0, 0, new byte[35], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Encrypt(nonce, 0, 12, plaintext, 0, 20, null, 0, 0, output, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Encrypt(nonce, 0, 12, plaintext, 1, 20, null, 0, 0, output, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Encrypt(nonce, 0, 12, plaintext, 0, -1, null, 0, 0, output, 0));
        Assert.Throws<ArgumentNullException>(() => aead.Encrypt(nonce, 0, 12, null!, 0, 0, null, 0, 0, output, 0));
        Assert.Throws<ArgumentNullException>(() => aead.Encrypt(nonce, 0, 12, plaintext, 0, 20, null, 0, 0, null!, 0));
        Assert.Throws<ArgumentNullException>(() => aead.Encrypt(nonce, 0, 12, plaintext, 0, 20, null, 0, 3, output, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Decrypt(nonce, 0, 12, output, 1, 36, null, 0, 0, plaintext, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Decrypt(nonce, 0, 12, output, 0, 36, null, 0, 0, new byte[19], 0));
        Assert.Throws<ArgumentNullException>(() => aead.Decrypt(nonce, 0, 12, null!, 0, 36, null, 0, 0, plaintext, 0));
        Assert.Throws<ArgumentNullException>(() => aead.Decrypt(nonce, 0, 12, output, 0, 36, null, 0, 0, null!, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChaCha20Poly1305(new byte[31], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChaCha20Poly1305(new byte[32], 1));
        Assert.Throws<ArgumentNullException>(() => new ChaCha20Poly1305(null!, 0));

        // A bad associated-data range is caught before the in-place buffer is overwritten.
        byte[] buffer = Filled(36);
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Encrypt(nonce, 0, 12, buffer, 0, 20, new byte[4], 2, 3, buffer, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Encrypt(nonce, 0, 12, buffer, 0, 20, new byte[4], 0, -1, buffer, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Decrypt(nonce, 0, 12, buffer, 0, 36, new byte[4], 2, 3, buffer, 0));
        Assert.False(buffer.AsSpan().ContainsAnyExcept(Untouched));
    }

    private static void AssertRefused(ChaCha20Poly1305 aead, byte[] nonce, byte[] input, byte[] aad, string what)
    {
        byte[] output = Filled(Math.Max(0, input.Length - 16));
        Assert.False(aead.Decrypt(nonce, 0, nonce.Length, input, 0, input.Length, aad, 0, aad.Length, output, 0), $"accepted a modified {what}");
        Assert.False(output.AsSpan().ContainsAnyExcept(Untouched), $"wrote output for a modified {what}");
    }

    private static bool ThrowsExactlyArgumentException(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (Exception e)
        {
            return e.GetType() == typeof(ArgumentException);
        }
    }

    private static byte[] Filled(int length)
    {
        byte[] buffer = new byte[length];
        Array.Fill(buffer, Untouched);
        return buffer;
    }

    private static byte[] BouncyCastleSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext)
    {
        var bc = new BcAead();
        bc.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] output = new byte[bc.GetOutputSize(plaintext.Length)];
        int n = bc.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        bc.DoFinal(output, n);
        return output;
    }
}
