using System.Security.Cryptography;
using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace MeshMessenger.Crypto.Tests;

/// <summary>HKDF-SHA-256 (RFC 5869): RFC cases, every Wycheproof vector, BouncyCastle on random inputs.</summary>
public sealed class HkdfSha256Tests
{
    [Fact]
    public void Rfc5869_cases_match_and_agree_with_dotnet()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc5869-hkdf-sha256.txt");
        Assert.Equal(3, file.Cases.Count);
        var failures = new List<string>();
        foreach (RfcVector v in file.Cases)
        {
            byte[] ikm = v.Bytes("ikm");
            byte[] salt = v.Bytes("salt");
            byte[] info = v.Bytes("info");
            byte[] expectedPrk = v.Bytes("prk");
            byte[] expectedOkm = v.Bytes("okm");
            int length = v.Int("length");
            if (!expectedPrk.AsSpan().SequenceEqual(HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt))
                || !expectedOkm.AsSpan().SequenceEqual(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, length, salt, info)))
            {
                failures.Add($"{v}: the file disagrees with .NET");
            }

            byte[] prk = new byte[32];
            HkdfSha256.Extract(salt, 0, salt.Length, ikm, 0, ikm.Length, prk, 0);
            byte[] expanded = new byte[length];
            HkdfSha256.Expand(prk, 0, prk.Length, info, 0, info.Length, expanded, 0, length);
            byte[] derived = new byte[length];
            HkdfSha256.DeriveKey(salt, 0, salt.Length, ikm, 0, ikm.Length, info, 0, info.Length, derived, 0, length);
            if (!expectedPrk.AsSpan().SequenceEqual(prk) || !expectedOkm.AsSpan().SequenceEqual(expanded) || !expectedOkm.AsSpan().SequenceEqual(derived))
            {
                failures.Add($"{v}: prk {Hex.Encode(prk)}, expand {Hex.Encode(expanded)}, derive {Hex.Encode(derived)}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Wycheproof_hkdf_sha256()
    {
        WycheproofFile file = WycheproofFile.Load("hkdf_sha256_test.json");
        var failures = new List<string>();
        int run = 0;
        foreach (WycheproofCase c in file.Cases)
        {
            run++;
            byte[] ikm = c.Bytes("ikm");
            byte[] salt = c.Bytes("salt");
            byte[] info = c.Bytes("info");
            int size = c.Test.GetProperty("size").GetInt32();
            byte[] okm = new byte[size];
            try
            {
                HkdfSha256.DeriveKey(salt, 0, salt.Length, ikm, 0, ikm.Length, info, 0, info.Length, okm, 0, size);
                if (c.Result != "valid")
                {
                    failures.Add($"{c}: accepted");
                }
                else if (!okm.AsSpan().SequenceEqual(c.Bytes("okm")))
                {
                    failures.Add($"{c}: computed {Hex.Encode(okm)}");
                }
            }
            catch (ArgumentOutOfRangeException) when (c.Result == "invalid" && c.Flags.Contains("SizeTooLarge"))
            {
                // RFC 5869 §2.3: L <= 255 * HashLen.
            }
            catch (Exception e)
            {
                failures.Add($"{c}: threw {e.GetType().Name}");
            }
        }

        Assert.Equal(file.NumberOfTests, run);
        Assert.Empty(failures);
    }

    [Fact]
    public void DeriveKey_matches_BouncyCastle_on_10000_random_inputs()
    {
        Gen.Select(Gen.Byte.Array[0, 80], Gen.Bool, Gen.Byte.Array[0, 80], Gen.Byte.Array[0, 80], Gen.Int[0, 700]).Sample((salt, nullSalt, ikm, info, length) =>
        {
            byte[] okm = new byte[length];
            HkdfSha256.DeriveKey(nullSalt ? null : salt, 0, nullSalt ? 0 : salt.Length, ikm, 0, ikm.Length, info, 0, info.Length, okm, 0, length);
            var bc = new HkdfBytesGenerator(new Sha256Digest());
            bc.Init(new HkdfParameters(ikm, nullSalt ? null : salt, info));
            byte[] reference = new byte[length];
            bc.GenerateBytes(reference, 0, length);
            return okm.AsSpan().SequenceEqual(reference);
        }, iter: 10_000);
    }

    [Fact]
    public void Expand_matches_BouncyCastle_on_10000_random_keys_and_offsets()
    {
        Gen.Select(Gen.Byte.Array[1, 100], Gen.Byte.Array[0, 100], Gen.Int[0, 1200], Gen.Int[0, 7]).Sample((prk, info, length, offset) =>
        {
            byte[] output = new byte[offset + length + 3];
            HkdfSha256.Expand(prk, 0, prk.Length, info, 0, info.Length, output, offset, length);
            var bc = new HkdfBytesGenerator(new Sha256Digest());
            bc.Init(HkdfParameters.SkipExtractParameters(prk, info));
            byte[] reference = new byte[length];
            bc.GenerateBytes(reference, 0, length);
            return output.AsSpan(offset, length).SequenceEqual(reference)
                && !output.AsSpan(0, offset).ContainsAnyExcept((byte)0)
                && !output.AsSpan(offset + length).ContainsAnyExcept((byte)0);
        }, iter: 10_000);
    }

    [Fact]
    public void Null_empty_and_zero_salts_agree_and_null_info_is_empty()
    {
        // RFC 5869 §2.2: a salt that is not provided is a string of HashLen zeros.
        byte[] ikm = "input keying material"u8.ToArray();
        byte[] fromNull = new byte[32];
        byte[] fromEmpty = new byte[32];
        byte[] fromZeros = new byte[32];
        HkdfSha256.Extract(null, 0, 0, ikm, 0, ikm.Length, fromNull, 0);
        HkdfSha256.Extract([], 0, 0, ikm, 0, ikm.Length, fromEmpty, 0);
        HkdfSha256.Extract(new byte[32], 0, 32, ikm, 0, ikm.Length, fromZeros, 0);
        Assert.Equal(fromZeros, fromNull);
        Assert.Equal(fromZeros, fromEmpty);
        Assert.Equal(HKDF.Extract(HashAlgorithmName.SHA256, ikm, null), fromNull);

        byte[] withNull = new byte[100];
        byte[] withEmpty = new byte[100];
        HkdfSha256.DeriveKey(null, 0, 0, ikm, 0, ikm.Length, null, 0, 0, withNull, 0, 100);
        HkdfSha256.DeriveKey([], 0, 0, ikm, 0, ikm.Length, [], 0, 0, withEmpty, 0, 100);
        Assert.Equal(withEmpty, withNull);
        Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 100, null, null), withNull);
    }

    [Fact]
    public void Output_is_limited_to_255_blocks_and_bad_ranges_throw()
    {
        byte[] prk = new byte[32];
        byte[] max = new byte[HkdfSha256.MaxOutputLength];
        HkdfSha256.Expand(prk, 0, 32, null, 0, 0, max, 0, HkdfSha256.MaxOutputLength);
        Assert.Equal(HKDF.Expand(HashAlgorithmName.SHA256, prk, HkdfSha256.MaxOutputLength, null), max);
        Assert.Equal(8160, HkdfSha256.MaxOutputLength);

        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Expand(prk, 0, 32, null, 0, 0, new byte[8161], 0, 8161));
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.DeriveKey(null, 0, 0, prk, 0, 32, null, 0, 0, new byte[9000], 0, 9000));
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Expand(prk, 0, 32, null, 0, 0, new byte[8], 0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Expand(prk, 0, 32, null, 0, 0, new byte[8], 1, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Expand(prk, 1, 32, null, 0, 0, new byte[8], 0, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Expand(prk, 0, 32, new byte[4], 2, 3, new byte[8], 0, 8));
        Assert.Throws<ArgumentNullException>(() => HkdfSha256.Expand(null!, 0, 32, null, 0, 0, new byte[8], 0, 8));
        Assert.Throws<ArgumentNullException>(() => HkdfSha256.Expand(prk, 0, 32, null, 0, 0, null!, 0, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Extract(new byte[4], 3, 2, prk, 0, 32, new byte[32], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Extract(null, 0, 0, prk, 0, 33, new byte[32], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HkdfSha256.Extract(null, 0, 0, prk, 0, 32, new byte[32], 1));
        Assert.Throws<ArgumentNullException>(() => HkdfSha256.Extract(null, 0, 0, null!, 0, 0, new byte[32], 0));
    }
}
