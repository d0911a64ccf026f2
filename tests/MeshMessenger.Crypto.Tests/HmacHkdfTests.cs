using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace MeshMessenger.Crypto.Tests;

public sealed class HmacHkdfTests
{
    [Fact]
    public void Rfc4231_cases()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc4231-hmac-sha256.txt");
        Assert.Equal(7, file.Cases.Count);
        foreach (RfcVector v in file.Cases)
        {
            byte[] key = v.Bytes("key");
            byte[] data = v.Bytes("data");
            byte[] expected = v.Bytes("mac");
            byte[] mac = new byte[32];
            HmacSha256.Compute(key, 0, key.Length, data, 0, data.Length, mac, 0);
            Assert.True(expected.AsSpan().SequenceEqual(mac.AsSpan(0, expected.Length)), $"{v}: {Hex.Encode(mac)}");
        }
    }

    [Fact]
    public void Rfc5869_cases()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc5869-hkdf-sha256.txt");
        Assert.Equal(3, file.Cases.Count);
        foreach (RfcVector v in file.Cases)
        {
            byte[] ikm = v.Bytes("ikm");
            byte[] salt = v.Bytes("salt");
            byte[] info = v.Bytes("info");
            byte[] prk = new byte[32];
            HkdfSha256.Extract(salt, 0, salt.Length, ikm, 0, ikm.Length, prk, 0);
            Assert.True(v.Bytes("prk").AsSpan().SequenceEqual(prk), $"{v} prk {Hex.Encode(prk)}");
            byte[] okm = new byte[v.Int("length")];
            HkdfSha256.DeriveKey(salt, 0, salt.Length, ikm, 0, ikm.Length, info, 0, info.Length, okm, 0, okm.Length);
            Assert.True(v.Bytes("okm").AsSpan().SequenceEqual(okm), $"{v} okm {Hex.Encode(okm)}");
        }
    }

    [Fact]
    public void Wycheproof_hmac_sha256()
    {
        WycheproofFile file = WycheproofFile.Load("hmac_sha256_test.json");
        var failures = new List<string>();
        foreach (WycheproofCase c in file.Cases)
        {
            byte[] key = c.Bytes("key");
            byte[] msg = c.Bytes("msg");
            byte[] tag = c.Bytes("tag");
            byte[] mac = new byte[32];
            HmacSha256.Compute(key, 0, key.Length, msg, 0, msg.Length, mac, 0);
            bool matches = CryptoBytes.ConstantTimeEquals(mac, 0, tag, 0, c.GroupInt("tagSize") / 8) && tag.Length == c.GroupInt("tagSize") / 8;
            if (matches != (c.Result == "valid"))
            {
                failures.Add(c.ToString());
            }
        }

        Assert.Equal(file.NumberOfTests, file.Cases.Count);
        Assert.Empty(failures);
    }

    [Fact]
    public void Wycheproof_hkdf_sha256()
    {
        WycheproofFile file = WycheproofFile.Load("hkdf_sha256_test.json");
        var failures = new List<string>();
        foreach (WycheproofCase c in file.Cases)
        {
            byte[] ikm = c.Bytes("ikm");
            byte[] salt = c.Bytes("salt");
            byte[] info = c.Bytes("info");
            int size = c.Test.GetProperty("size").GetInt32();
            try
            {
                byte[] okm = new byte[size];
                HkdfSha256.DeriveKey(salt, 0, salt.Length, ikm, 0, ikm.Length, info, 0, info.Length, okm, 0, size);
                if (c.Result != "valid" || !okm.AsSpan().SequenceEqual(c.Bytes("okm")))
                {
                    failures.Add(c.ToString());
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                if (c.Result == "valid")
                {
                    failures.Add(c + " threw");
                }
            }
        }

        Assert.Equal(file.NumberOfTests, file.Cases.Count);
        Assert.Empty(failures);
    }

    [Fact]
    public void Hmac_matches_BouncyCastle_on_10000_random_keys_and_messages()
    {
        Gen.Select(Gen.Byte.Array[0, 200], Gen.Byte.Array[0, 400]).Sample((key, message) =>
        {
            byte[] mac = new byte[32];
            HmacSha256.Compute(key, 0, key.Length, message, 0, message.Length, mac, 0);
            var bc = new HMac(new Sha256Digest());
            bc.Init(new KeyParameter(key));
            bc.BlockUpdate(message, 0, message.Length);
            byte[] reference = new byte[32];
            bc.DoFinal(reference, 0);
            return mac.AsSpan().SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Hkdf_matches_BouncyCastle_on_10000_random_inputs()
    {
        Gen.Select(Gen.Byte.Array[0, 80], Gen.Byte.Array[0, 80], Gen.Byte.Array[0, 80], Gen.Int[0, 300]).Sample((salt, ikm, info, length) =>
        {
            byte[] okm = new byte[length];
            HkdfSha256.DeriveKey(salt, 0, salt.Length, ikm, 0, ikm.Length, info, 0, info.Length, okm, 0, length);
            var bc = new HkdfBytesGenerator(new Sha256Digest());
            bc.Init(new HkdfParameters(ikm, salt, info));
            byte[] reference = new byte[length];
            bc.GenerateBytes(reference, 0, length);
            return okm.AsSpan().SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Hkdf_refuses_more_than_255_blocks()
    {
        byte[] prk = new byte[32];
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Expand(prk, 0, 32, null, 0, 0, new byte[8161], 0, 8161));
        HkdfSha256.Expand(prk, 0, 32, null, 0, 0, new byte[8160], 0, 8160);
    }
}
