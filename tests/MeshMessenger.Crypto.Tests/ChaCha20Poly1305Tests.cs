using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto.Parameters;
using BcAead = Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305;

namespace MeshMessenger.Crypto.Tests;

public sealed class ChaCha20Poly1305Tests
{
    [Fact]
    public void Rfc8439_vectors()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc8439-chacha20-poly1305.txt");
        Assert.Equal(4, file.Cases.Count);
        foreach (RfcVector v in file.Cases)
        {
            byte[] key = v.Bytes("key");
            switch (v.Text("kind"))
            {
                case "block":
                    byte[] block = new byte[64];
                    ChaCha20.Block(key, 0, v.Bytes("nonce"), 0, (uint)v.Int("counter"), block, 0);
                    Assert.Equal(Hex.Encode(v.Bytes("output")), Hex.Encode(block));
                    break;
                case "cipher":
                    byte[] plaintext = v.Bytes("plaintext");
                    byte[] ciphertext = new byte[plaintext.Length];
                    ChaCha20.Xor(key, 0, v.Bytes("nonce"), 0, (uint)v.Int("counter"), plaintext, 0, plaintext.Length, ciphertext, 0);
                    Assert.Equal(Hex.Encode(v.Bytes("ciphertext")), Hex.Encode(ciphertext));
                    break;
                case "poly1305":
                    byte[] message = v.Bytes("message");
                    var poly = new Poly1305();
                    poly.Init(key, 0);
                    poly.Update(message, 0, message.Length);
                    byte[] tag = new byte[16];
                    poly.Finish(tag, 0);
                    Assert.Equal(Hex.Encode(v.Bytes("tag")), Hex.Encode(tag));
                    break;
                case "aead":
                    byte[] pt = v.Bytes("plaintext");
                    byte[] aad = v.Bytes("aad");
                    byte[] nonce = v.Bytes("nonce");
                    byte[] sealedBytes = new byte[pt.Length + 16];
                    var aead = new ChaCha20Poly1305(key, 0);
                    aead.Encrypt(nonce, 0, 12, pt, 0, pt.Length, aad, 0, aad.Length, sealedBytes, 0);
                    Assert.Equal(Hex.Encode(v.Bytes("ciphertext")) + Hex.Encode(v.Bytes("tag")), Hex.Encode(sealedBytes));
                    byte[] opened = new byte[pt.Length];
                    Assert.True(aead.Decrypt(nonce, 0, 12, sealedBytes, 0, sealedBytes.Length, aad, 0, aad.Length, opened, 0));
                    Assert.Equal(pt, opened);
                    break;
                default:
                    Assert.Fail($"unknown kind in {v}");
                    break;
            }
        }
    }

    [Fact]
    public void Wycheproof_chacha20_poly1305()
    {
        WycheproofFile file = WycheproofFile.Load("chacha20_poly1305_test.json");
        var failures = new List<string>();
        foreach (WycheproofCase c in file.Cases)
        {
            byte[] key = c.Bytes("key");
            byte[] iv = c.Bytes("iv");
            byte[] aad = c.Bytes("aad");
            byte[] msg = c.Bytes("msg");
            byte[] ct = c.Bytes("ct");
            byte[] tag = c.Bytes("tag");
            var aead = new ChaCha20Poly1305(key, 0);
            byte[] input = [.. ct, .. tag];
            byte[] opened = new byte[Math.Max(0, input.Length - 16)];
            bool accepted;
            try
            {
                accepted = aead.Decrypt(iv, 0, iv.Length, input, 0, input.Length, aad, 0, aad.Length, opened, 0)
                    && opened.AsSpan().SequenceEqual(msg);
                if (c.Result == "valid")
                {
                    byte[] sealedBytes = new byte[msg.Length + 16];
                    aead.Encrypt(iv, 0, iv.Length, msg, 0, msg.Length, aad, 0, aad.Length, sealedBytes, 0);
                    accepted &= sealedBytes.AsSpan().SequenceEqual(input);
                }
            }
            catch (ArgumentException) when (iv.Length != 12)
            {
                accepted = false;
            }

            if (accepted != (c.Result == "valid"))
            {
                failures.Add(c.ToString());
            }
        }

        Assert.Equal(file.NumberOfTests, file.Cases.Count);
        Assert.Empty(failures);
    }

    [Fact]
    public void Matches_BouncyCastle_on_10000_random_messages_and_rejects_every_tampering()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[12], Gen.Byte.Array[0, 64], Gen.Byte.Array[0, 600], Gen.Int[0, int.MaxValue])
            .Sample((key, nonce, aad, plaintext, pick) =>
            {
                var aead = new ChaCha20Poly1305(key, 0);
                byte[] sealedBytes = new byte[plaintext.Length + 16];
                aead.Encrypt(nonce, 0, 12, plaintext, 0, plaintext.Length, aad, 0, aad.Length, sealedBytes, 0);

                var bc = new BcAead();
                bc.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce, aad));
                byte[] reference = new byte[bc.GetOutputSize(plaintext.Length)];
                int n = bc.ProcessBytes(plaintext, 0, plaintext.Length, reference, 0);
                bc.DoFinal(reference, n);
                if (!sealedBytes.AsSpan().SequenceEqual(reference))
                {
                    return false;
                }

                byte[] opened = new byte[plaintext.Length];
                if (!aead.Decrypt(nonce, 0, 12, sealedBytes, 0, sealedBytes.Length, aad, 0, aad.Length, opened, 0) || !opened.AsSpan().SequenceEqual(plaintext))
                {
                    return false;
                }

                // Flip one bit of the ciphertext or tag, or of the associated data: both must be refused.
                byte[] tampered = (byte[])sealedBytes.Clone();
                tampered[pick % tampered.Length] ^= (byte)(1 << (pick % 8));
                bool tamperedOpens = aead.Decrypt(nonce, 0, 12, tampered, 0, tampered.Length, aad, 0, aad.Length, opened, 0);
                bool tamperedAadOpens = false;
                if (aad.Length > 0)
                {
                    byte[] badAad = (byte[])aad.Clone();
                    badAad[pick % badAad.Length] ^= 0x80;
                    tamperedAadOpens = aead.Decrypt(nonce, 0, 12, sealedBytes, 0, sealedBytes.Length, badAad, 0, badAad.Length, opened, 0);
                }

                return !tamperedOpens && !tamperedAadOpens;
            }, iter: 10_000);
    }

    [Fact]
    public void Works_in_place_and_rejects_short_or_malformed_input()
    {
        byte[] key = new byte[32];
        key[0] = 7;
        byte[] nonce = new byte[12];
        var aead = new ChaCha20Poly1305(key, 0);
        byte[] plaintext = System.Text.Encoding.ASCII.GetBytes("in place, please");
        byte[] buffer = new byte[plaintext.Length + 16];
        plaintext.CopyTo(buffer, 0);
        byte[] separate = new byte[buffer.Length];
        aead.Encrypt(nonce, 0, 12, plaintext, 0, plaintext.Length, null, 0, 0, separate, 0);
        aead.Encrypt(nonce, 0, 12, buffer, 0, plaintext.Length, null, 0, 0, buffer, 0);
        Assert.Equal(separate, buffer);
        Assert.True(aead.Decrypt(nonce, 0, 12, buffer, 0, buffer.Length, null, 0, 0, buffer, 0));
        Assert.Equal(plaintext, buffer[..plaintext.Length]);

        Assert.False(aead.Decrypt(nonce, 0, 12, new byte[15], 0, 15, null, 0, 0, new byte[15], 0));
        Assert.Throws<ArgumentException>(() => aead.Encrypt(nonce, 0, 8, plaintext, 0, plaintext.Length, null, 0, 0, separate, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => aead.Encrypt(nonce, 0, 12, plaintext, 0, plaintext.Length, null, 0, 0, new byte[plaintext.Length + 15], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChaCha20Poly1305(new byte[31], 0));
    }
}
