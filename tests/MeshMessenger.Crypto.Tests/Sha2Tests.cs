using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace MeshMessenger.Crypto.Tests;

public sealed class Sha2Tests
{
    [Fact]
    public void Fips180_examples()
    {
        RfcVectorFile file = RfcVectorFile.Load("fips180-sha2.txt");
        Assert.Equal(8, file.Cases.Count);
        foreach (RfcVector v in file.Cases)
        {
            byte[] unit = v.Bytes("message");
            int repeat = v.Has("repeat") ? v.Int("repeat") : 1;
            byte[] message = new byte[unit.Length * repeat];
            for (int i = 0; i < repeat; i++)
            {
                unit.CopyTo(message, i * unit.Length);
            }

            byte[] expected = v.Bytes("digest");
            byte[] actual = new byte[expected.Length];
            if (v.Text("algorithm") == "sha256")
            {
                Sha256.Hash(message, 0, message.Length, actual, 0);
            }
            else
            {
                Sha512.Hash(message, 0, message.Length, actual, 0);
            }

            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{v}: {Hex.Encode(actual)}");
        }
    }

    [Fact]
    public void Sha256_matches_BouncyCastle_on_10000_random_messages_in_random_chunks()
    {
        Gen.Select(Gen.Byte.Array[0, 600], Gen.Int[1, 200]).Sample((message, chunk) =>
        {
            byte[] oneShot = new byte[32];
            Sha256.Hash(message, 0, message.Length, oneShot, 0);
            var incremental = new Sha256();
            for (int i = 0; i < message.Length; i += chunk)
            {
                incremental.Update(message, i, Math.Min(chunk, message.Length - i));
            }

            byte[] chunked = new byte[32];
            incremental.Finish(chunked, 0);
            byte[] reference = BouncyCastle(new Sha256Digest(), message);
            return oneShot.AsSpan().SequenceEqual(reference) && chunked.AsSpan().SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Sha512_matches_BouncyCastle_on_10000_random_messages_in_random_chunks()
    {
        Gen.Select(Gen.Byte.Array[0, 600], Gen.Int[1, 300]).Sample((message, chunk) =>
        {
            byte[] oneShot = new byte[64];
            Sha512.Hash(message, 0, message.Length, oneShot, 0);
            var incremental = new Sha512();
            for (int i = 0; i < message.Length; i += chunk)
            {
                incremental.Update(message, i, Math.Min(chunk, message.Length - i));
            }

            byte[] chunked = new byte[64];
            incremental.Finish(chunked, 0);
            byte[] reference = BouncyCastle(new Sha512Digest(), message);
            return oneShot.AsSpan().SequenceEqual(reference) && chunked.AsSpan().SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Hashing_a_range_uses_only_that_range_and_bad_ranges_throw()
    {
        byte[] buffer = [1, 2, 3, 4, 5];
        byte[] ofRange = new byte[32];
        byte[] ofCopy = new byte[32];
        Sha256.Hash(buffer, 1, 3, ofRange, 0);
        Sha256.Hash([2, 3, 4], 0, 3, ofCopy, 0);
        Assert.Equal(ofCopy, ofRange);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.Hash(buffer, 3, 3, ofRange, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha512.Hash(buffer, 0, 5, new byte[63], 0));
        Assert.Throws<ArgumentNullException>(() => new Sha512().Update(null!, 0, 0));
    }

    private static byte[] BouncyCastle(IDigest digest, byte[] message)
    {
        digest.BlockUpdate(message, 0, message.Length);
        byte[] output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return output;
    }
}
