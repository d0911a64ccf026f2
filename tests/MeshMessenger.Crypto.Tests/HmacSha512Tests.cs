using CsCheck;
using MeshMessenger.Crypto.Tests.Support;

namespace MeshMessenger.Crypto.Tests;

/// <summary>HMAC-SHA-512 (RFC 2104): every Wycheproof vector, .NET's HMACSHA512 on random keys and messages.</summary>
public sealed class HmacSha512Tests
{
    [Fact]
    public void Wycheproof_hmac_sha512()
    {
        WycheproofFile file = WycheproofFile.Load("hmac_sha512_test.json");
        var failures = new List<string>();
        int run = 0;
        foreach (WycheproofCase c in file.Cases)
        {
            run++;
            byte[] key = c.Bytes("key");
            byte[] msg = c.Bytes("msg");
            byte[] tag = c.Bytes("tag");
            int tagBytes = c.GroupInt("tagSize") / 8;
            byte[] mac = new byte[HmacSha512.MacSize];
            HmacSha512.Compute(key, 0, key.Length, msg, 0, msg.Length, mac, 0);

            // The tag is the MAC truncated to tagSize bits; a ModifiedTag vector must not match it.
            bool matches = tag.Length == tagBytes && CryptoBytes.ConstantTimeEquals(mac, 0, tag, 0, tagBytes);
            if (matches != (c.Result == "valid"))
            {
                failures.Add($"{c}: computed {Hex.Encode(mac)}");
            }
        }

        Assert.Equal(file.NumberOfTests, run);
        Assert.Empty(failures);
    }

    [Fact]
    public void Matches_dotnet_on_2000_random_keys_and_messages_split_at_random_points()
    {
        // Keys up to 300 bytes cross the 128-byte block, where RFC 2104 §2 hashes the key first.
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Byte.Array[0, 400], Gen.Int[0, 200].Array[1, 6]).Sample((key, message, chunks) =>
        {
            byte[] reference = System.Security.Cryptography.HMACSHA512.HashData(key, message);
            byte[] oneShot = new byte[HmacSha512.MacSize];
            HmacSha512.Compute(key, 0, key.Length, message, 0, message.Length, oneShot, 0);
            var hmac = new HmacSha512(key, 0, key.Length);
            Chunks.Feed(message, chunks, hmac.Update);
            byte[] split = new byte[HmacSha512.MacSize];
            hmac.Finish(split, 0);
            return oneShot.AsSpan().SequenceEqual(reference) && split.AsSpan().SequenceEqual(reference);
        }, iter: 2_000);
    }

    [Fact]
    public void Finish_resets_to_the_keyed_state_and_bad_ranges_throw()
    {
        byte[] key = "key"u8.ToArray();
        byte[] first = "first message"u8.ToArray();
        byte[] second = "second message"u8.ToArray();
        var hmac = new HmacSha512(key, 0, key.Length);
        byte[] mac = new byte[HmacSha512.MacSize + 3];
        hmac.Update(first, 0, first.Length);
        hmac.Finish(mac, 3);
        Assert.Equal(System.Security.Cryptography.HMACSHA512.HashData(key, first), mac[3..]);
        hmac.Update(second, 0, second.Length);
        hmac.Finish(mac, 3);
        Assert.Equal(System.Security.Cryptography.HMACSHA512.HashData(key, second), mac[3..]);

        Assert.Throws<ArgumentNullException>(() => new HmacSha512(null!, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HmacSha512(key, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => HmacSha512.Compute(key, 0, 3, key, 0, 3, new byte[63], 0));
    }
}
