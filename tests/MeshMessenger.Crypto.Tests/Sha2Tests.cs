using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace MeshMessenger.Crypto.Tests;

/// <summary>SHA-256 and SHA-512 (FIPS 180-4): NIST examples, every length near the block boundaries, BouncyCastle.</summary>
public sealed class Sha2Tests
{
    [Fact]
    public void Fips180_examples_match_and_agree_with_dotnet()
    {
        RfcVectorFile file = RfcVectorFile.Load("fips180-sha2.txt");
        Assert.Equal(10, file.Cases.Count);
        var failures = new List<string>();
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
            bool sha256 = v.Text("algorithm") == "sha256";
            byte[] reference = sha256
                ? System.Security.Cryptography.SHA256.HashData(message)
                : System.Security.Cryptography.SHA512.HashData(message);
            byte[] oneShot = new byte[expected.Length];
            byte[] streamed = new byte[expected.Length];
            if (sha256)
            {
                Sha256.Hash(message, 0, message.Length, oneShot, 0);
                var sha = new Sha256();
                for (int i = 0; i < message.Length; i += 1000)
                {
                    sha.Update(message, i, Math.Min(1000, message.Length - i));
                }

                sha.Finish(streamed, 0);
            }
            else
            {
                Sha512.Hash(message, 0, message.Length, oneShot, 0);
                var sha = new Sha512();
                for (int i = 0; i < message.Length; i += 1000)
                {
                    sha.Update(message, i, Math.Min(1000, message.Length - i));
                }

                sha.Finish(streamed, 0);
            }

            if (!expected.AsSpan().SequenceEqual(reference))
            {
                failures.Add($"{v}: the file disagrees with .NET ({Hex.Encode(reference)})");
            }

            if (!expected.AsSpan().SequenceEqual(oneShot) || !expected.AsSpan().SequenceEqual(streamed))
            {
                failures.Add($"{v}: one-shot {Hex.Encode(oneShot)}, streamed {Hex.Encode(streamed)}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Every_length_up_to_four_blocks_matches_dotnet()
    {
        // Covers every padding case: the 0x80 byte and the length field in the same block or spilling over.
        byte[] data = new byte[4 * Sha512.BlockSize + 1];
        new Random(180).NextBytes(data);
        byte[] d256 = new byte[Sha256.HashSize];
        byte[] d512 = new byte[Sha512.HashSize];
        for (int length = 0; length < data.Length; length++)
        {
            Sha256.Hash(data, 1, length, d256, 0);
            Sha512.Hash(data, 1, length, d512, 0);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(data.AsSpan(1, length)), d256);
            Assert.Equal(System.Security.Cryptography.SHA512.HashData(data.AsSpan(1, length)), d512);
        }
    }

    [Fact]
    public void Sha256_matches_BouncyCastle_on_10000_random_messages_split_at_random_points()
    {
        Gen.Select(Gen.Byte.Array[0, 600], Gen.Int[0, 200].Array[1, 8]).Sample((message, chunks) =>
        {
            byte[] oneShot = new byte[Sha256.HashSize];
            Sha256.Hash(message, 0, message.Length, oneShot, 0);
            var incremental = new Sha256();
            Chunks.Feed(message, chunks, incremental.Update);
            byte[] split = new byte[Sha256.HashSize];
            incremental.Finish(split, 0);
            byte[] reference = BouncyCastle(new Sha256Digest(), message);
            return oneShot.AsSpan().SequenceEqual(reference) && split.AsSpan().SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Sha512_matches_BouncyCastle_on_10000_random_messages_split_at_random_points()
    {
        Gen.Select(Gen.Byte.Array[0, 600], Gen.Int[0, 300].Array[1, 8]).Sample((message, chunks) =>
        {
            byte[] oneShot = new byte[Sha512.HashSize];
            Sha512.Hash(message, 0, message.Length, oneShot, 0);
            var incremental = new Sha512();
            Chunks.Feed(message, chunks, incremental.Update);
            byte[] split = new byte[Sha512.HashSize];
            incremental.Finish(split, 0);
            byte[] reference = BouncyCastle(new Sha512Digest(), message);
            return oneShot.AsSpan().SequenceEqual(reference) && split.AsSpan().SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Finish_resets_and_Reset_discards_buffered_input()
    {
        byte[] abc = "abc"u8.ToArray();
        byte[] junk = new byte[200];
        var sha256 = new Sha256();
        var sha512 = new Sha512();
        byte[] first = new byte[40];
        byte[] second = new byte[40];
        byte[] wide = new byte[70];
        byte[] wide2 = new byte[70];

        sha256.Update(abc, 0, 3);
        sha256.Finish(first, 3);
        sha256.Update(junk, 0, 77);
        sha256.Reset();
        sha256.Update(abc, 0, 3);
        sha256.Finish(second, 3);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(abc), first[3..35]);
        Assert.Equal(first, second);

        sha512.Update(abc, 0, 3);
        sha512.Finish(wide, 6);
        sha512.Update(junk, 0, 129);
        sha512.Reset();
        sha512.Update(abc, 0, 3);
        sha512.Finish(wide2, 6);
        Assert.Equal(System.Security.Cryptography.SHA512.HashData(abc), wide[6..]);
        Assert.Equal(wide, wide2);
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
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.Hash(buffer, -1, 1, ofRange, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.Hash(buffer, 0, -1, ofRange, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.Hash(buffer, 0, 5, new byte[32], 1));
        Assert.Throws<ArgumentNullException>(() => Sha256.Hash(null!, 0, 0, ofRange, 0));
        Assert.Throws<ArgumentNullException>(() => Sha256.Hash(buffer, 0, 5, null!, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha512.Hash(buffer, 0, 5, new byte[63], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha512.Hash(buffer, 4, 2, new byte[64], 0));
        Assert.Throws<ArgumentNullException>(() => new Sha512().Update(null!, 0, 0));
        Assert.Throws<ArgumentNullException>(() => new Sha512().Finish(null!, 0));
    }

    private static byte[] BouncyCastle(IDigest digest, byte[] message)
    {
        digest.BlockUpdate(message, 0, message.Length);
        byte[] output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return output;
    }
}
