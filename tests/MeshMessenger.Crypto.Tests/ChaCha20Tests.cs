using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace MeshMessenger.Crypto.Tests;

/// <summary>The ChaCha20 block function and stream cipher (RFC 8439 §2.3-§2.4), against the RFC and BouncyCastle.</summary>
public sealed class ChaCha20Tests
{
    [Fact]
    public void Rfc8439_block_key_generation_and_cipher_vectors()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc8439-chacha20.txt");
        Assert.Equal(14, file.Cases.Count);
        var failures = new List<string>();
        foreach (RfcVector v in file.Cases)
        {
            byte[] key = v.Bytes("key");
            byte[] nonce = v.Bytes("nonce");
            uint counter = uint.Parse(v.Text("counter"), System.Globalization.CultureInfo.InvariantCulture);
            switch (v.Text("kind"))
            {
                case "block":
                case "polykey":
                    // A Poly1305 key (§2.6) is the first 32 bytes of block 0.
                    byte[] expected = v.Bytes("output");
                    byte[] block = new byte[ChaCha20.BlockSize + 3];
                    ChaCha20.Block(key, 0, nonce, 0, counter, block, 3);
                    Check(v, expected, block.AsSpan(3, expected.Length).ToArray(), BouncyCastleKeystream(key, nonce, counter, expected.Length), failures);
                    break;
                case "cipher":
                    byte[] plaintext = v.Bytes("plaintext");
                    byte[] ciphertext = new byte[plaintext.Length];
                    ChaCha20.Xor(key, 0, nonce, 0, counter, plaintext, 0, plaintext.Length, ciphertext, 0);
                    byte[] reference = BouncyCastleKeystream(key, nonce, counter, plaintext.Length);
                    for (int i = 0; i < reference.Length; i++)
                    {
                        reference[i] ^= plaintext[i];
                    }

                    Check(v, v.Bytes("ciphertext"), ciphertext, reference, failures);
                    break;
                default:
                    failures.Add($"{v}: unknown kind");
                    break;
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Xor_matches_BouncyCastle_on_10000_random_inputs_including_in_place()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[12], Gen.UInt[0, 3], Gen.Byte.Array[0, 600], Gen.Int[0, 5]).Sample((key, nonce, counter, input, offset) =>
        {
            byte[] reference = BouncyCastleKeystream(key, nonce, counter, input.Length);
            for (int i = 0; i < reference.Length; i++)
            {
                reference[i] ^= input[i];
            }

            byte[] output = new byte[offset + input.Length];
            ChaCha20.Xor(key, 0, nonce, 0, counter, input, 0, input.Length, output, offset);
            byte[] inPlace = new byte[offset + input.Length];
            input.CopyTo(inPlace, offset);
            ChaCha20.Xor(key, 0, nonce, 0, counter, inPlace, offset, input.Length, inPlace, offset);
            return output.AsSpan(offset).SequenceEqual(reference) && inPlace.AsSpan(offset).SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Xor_is_the_concatenation_of_blocks_at_any_counter()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[12], Gen.UInt, Gen.Int[0, 300]).Sample((key, nonce, counter, length) =>
        {
            counter = Math.Min(counter, uint.MaxValue - 5);
            byte[] stream = new byte[length];
            ChaCha20.Xor(key, 0, nonce, 0, counter, new byte[length], 0, length, stream, 0);
            byte[] block = new byte[ChaCha20.BlockSize];
            for (int i = 0; i < length; i += ChaCha20.BlockSize)
            {
                ChaCha20.Block(key, 0, nonce, 0, counter + (uint)(i / ChaCha20.BlockSize), block, 0);
                if (!stream.AsSpan(i, Math.Min(ChaCha20.BlockSize, length - i)).SequenceEqual(block.AsSpan(0, Math.Min(ChaCha20.BlockSize, length - i))))
                {
                    return false;
                }
            }

            return true;
        }, iter: 2_000);
    }

    [Fact]
    public void The_32_bit_block_counter_never_wraps()
    {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] data = new byte[129];

        // The last block, counter 2^32 - 1, is usable; a byte past it is not (RFC 8439 §2.3: 32-bit counter).
        ChaCha20.Xor(key, 0, nonce, 0, uint.MaxValue, data, 0, 64, data, 0);
        ChaCha20.Xor(key, 0, nonce, 0, uint.MaxValue - 1, data, 0, 128, data, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Xor(key, 0, nonce, 0, uint.MaxValue, data, 0, 65, data, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Xor(key, 0, nonce, 0, uint.MaxValue - 1, data, 0, 129, data, 0));
        ChaCha20.Xor(key, 0, nonce, 0, uint.MaxValue, data, 0, 0, data, 0);
    }

    [Fact]
    public void Bad_ranges_throw()
    {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] data = new byte[10];
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Block(new byte[31], 0, nonce, 0, 0, new byte[64], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Block(key, 1, nonce, 0, 0, new byte[64], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Block(key, 0, new byte[11], 0, 0, new byte[64], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Block(key, 0, nonce, 0, 0, new byte[64], 1));
        Assert.Throws<ArgumentNullException>(() => ChaCha20.Block(null!, 0, nonce, 0, 0, new byte[64], 0));
        Assert.Throws<ArgumentNullException>(() => ChaCha20.Block(key, 0, null!, 0, 0, new byte[64], 0));
        Assert.Throws<ArgumentNullException>(() => ChaCha20.Block(key, 0, nonce, 0, 0, null!, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Xor(key, 0, nonce, 0, 0, data, 5, 6, data, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Xor(key, 0, nonce, 0, 0, data, 0, 10, new byte[9], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Xor(key, 0, nonce, 0, 0, data, 0, -1, data, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChaCha20.Xor(key, 0, nonce, 2, 0, data, 0, 10, data, 0));
        Assert.Throws<ArgumentNullException>(() => ChaCha20.Xor(key, 0, nonce, 0, 0, null!, 0, 0, data, 0));
        Assert.Throws<ArgumentNullException>(() => ChaCha20.Xor(key, 0, nonce, 0, 0, data, 0, 0, null!, 0));
    }

    /// <summary>BouncyCastle's RFC 8439 ChaCha20 keystream, starting at block <paramref name="counter"/> (kept small).</summary>
    internal static byte[] BouncyCastleKeystream(byte[] key, byte[] nonce, uint counter, int length)
    {
        var engine = new ChaCha7539Engine();
        engine.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] skip = new byte[checked((int)counter * 64)];
        engine.ProcessBytes(skip, 0, skip.Length, skip, 0);
        byte[] stream = new byte[length];
        engine.ProcessBytes(stream, 0, length, stream, 0);
        return stream;
    }

    private static void Check(RfcVector v, byte[] expected, byte[] actual, byte[] reference, List<string> failures)
    {
        if (!expected.AsSpan().SequenceEqual(reference))
        {
            failures.Add($"{v}: the file disagrees with BouncyCastle ({Hex.Encode(reference)})");
        }

        if (!expected.AsSpan().SequenceEqual(actual))
        {
            failures.Add($"{v}: computed {Hex.Encode(actual)}");
        }
    }
}
