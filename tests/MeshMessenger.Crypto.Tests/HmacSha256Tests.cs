using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace MeshMessenger.Crypto.Tests;

/// <summary>HMAC-SHA-256 (RFC 2104): RFC 4231 cases, every Wycheproof vector, BouncyCastle on random inputs.</summary>
public sealed class HmacSha256Tests
{
    [Fact]
    public void Rfc4231_cases_match_and_agree_with_dotnet()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc4231-hmac-sha256.txt");
        Assert.Equal(7, file.Cases.Count);
        var failures = new List<string>();
        foreach (RfcVector v in file.Cases)
        {
            byte[] key = v.Bytes("key");
            byte[] data = v.Bytes("data");
            byte[] expected = v.Bytes("mac");
            byte[] reference = System.Security.Cryptography.HMACSHA256.HashData(key, data);
            byte[] mac = new byte[HmacSha256.MacSize];
            HmacSha256.Compute(key, 0, key.Length, data, 0, data.Length, mac, 0);

            // Case 5 publishes only the first 128 bits (RFC 4231 §4.6).
            if (!expected.AsSpan().SequenceEqual(reference.AsSpan(0, expected.Length)))
            {
                failures.Add($"{v}: the file disagrees with .NET ({Hex.Encode(reference)})");
            }

            if (!expected.AsSpan().SequenceEqual(mac.AsSpan(0, expected.Length)))
            {
                failures.Add($"{v}: computed {Hex.Encode(mac)}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Wycheproof_hmac_sha256()
    {
        WycheproofFile file = WycheproofFile.Load("hmac_sha256_test.json");
        var failures = new List<string>();
        int run = 0;
        foreach (WycheproofCase c in file.Cases)
        {
            run++;
            byte[] key = c.Bytes("key");
            byte[] msg = c.Bytes("msg");
            byte[] tag = c.Bytes("tag");
            int tagBytes = c.GroupInt("tagSize") / 8;
            byte[] mac = new byte[HmacSha256.MacSize];
            HmacSha256.Compute(key, 0, key.Length, msg, 0, msg.Length, mac, 0);

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
    public void Matches_BouncyCastle_on_10000_random_keys_and_messages_split_at_random_points()
    {
        Gen.Select(Gen.Byte.Array[0, 200], Gen.Byte.Array[0, 400], Gen.Int[0, 150].Array[1, 6]).Sample((key, message, chunks) =>
        {
            byte[] oneShot = new byte[HmacSha256.MacSize];
            HmacSha256.Compute(key, 0, key.Length, message, 0, message.Length, oneShot, 0);
            var hmac = new HmacSha256(key, 0, key.Length);
            Chunks.Feed(message, chunks, hmac.Update);
            byte[] split = new byte[HmacSha256.MacSize];
            hmac.Finish(split, 0);

            var bc = new HMac(new Sha256Digest());
            bc.Init(new KeyParameter(key));
            bc.BlockUpdate(message, 0, message.Length);
            byte[] reference = new byte[HmacSha256.MacSize];
            bc.DoFinal(reference, 0);
            return oneShot.AsSpan().SequenceEqual(reference) && split.AsSpan().SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Finish_and_Reset_return_to_the_keyed_state()
    {
        byte[] key = "key"u8.ToArray();
        byte[] first = "first message"u8.ToArray();
        byte[] second = "second message"u8.ToArray();
        var hmac = new HmacSha256(key, 0, key.Length);
        byte[] mac = new byte[HmacSha256.MacSize + 5];

        hmac.Update(first, 0, first.Length);
        hmac.Finish(mac, 5);
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(key, first), mac[5..]);

        hmac.Update(second, 0, second.Length);
        hmac.Finish(mac, 5);
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(key, second), mac[5..]);

        hmac.Update(first, 0, first.Length);
        hmac.Reset();
        hmac.Update(second, 0, second.Length);
        hmac.Finish(mac, 5);
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(key, second), mac[5..]);
    }

    [Fact]
    public void Key_and_data_ranges_are_respected_and_bad_ranges_throw()
    {
        byte[] buffer = [9, 1, 2, 3, 4, 5, 6, 9];
        byte[] mac = new byte[32];
        HmacSha256.Compute(buffer, 1, 3, buffer, 4, 3, mac, 0);
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData([1, 2, 3], [4, 5, 6]), mac);

        Assert.Throws<ArgumentNullException>(() => new HmacSha256(null!, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HmacSha256(buffer, 6, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HmacSha256(buffer, 0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => HmacSha256.Compute(buffer, 0, 8, buffer, 7, 2, mac, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HmacSha256.Compute(buffer, 0, 8, buffer, 0, 8, new byte[31], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HmacSha256.Compute(buffer, 0, 8, buffer, 0, 8, mac, 1));
        Assert.Throws<ArgumentNullException>(() => new HmacSha256(buffer, 0, 8).Update(null!, 0, 0));
        Assert.Throws<ArgumentNullException>(() => new HmacSha256(buffer, 0, 8).Finish(null!, 0));
    }
}
