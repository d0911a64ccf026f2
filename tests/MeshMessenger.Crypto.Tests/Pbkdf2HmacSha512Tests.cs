using System.Text;
using System.Text.Json;
using CsCheck;
using MeshMessenger.Crypto.Tests.Support;

namespace MeshMessenger.Crypto.Tests;

/// <summary>
/// PBKDF2-HMAC-SHA512 (RFC 8018 §5.2): the BIP-39 seeds as known answers (PBKDF2 of the mnemonic with salt
/// "mnemonicTREZOR", 2,048 iterations, 64 bytes) and .NET's Rfc2898DeriveBytes.Pbkdf2 on random inputs, including
/// several and partial output blocks.
/// </summary>
public sealed class Pbkdf2HmacSha512Tests
{
    [Fact]
    public void Bip39_english_seeds_are_pbkdf2_of_the_mnemonic()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "vectors", "bip", "bip39-english.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        int run = 0;
        foreach (JsonElement v in doc.RootElement.GetProperty("english").EnumerateArray())
        {
            byte[] password = Encoding.UTF8.GetBytes(v[1].GetString()!);
            byte[] salt = Encoding.UTF8.GetBytes("mnemonicTREZOR");
            byte[] seed = new byte[64];
            Pbkdf2HmacSha512.DeriveKey(password, 0, password.Length, salt, 0, salt.Length, 2048, seed, 0, seed.Length);
            Assert.Equal(v[2].GetString(), Hex.Encode(seed));
            run++;
        }

        Assert.Equal(24, run);
    }

    [Fact]
    public void Matches_dotnet_on_random_passwords_salts_iteration_counts_and_lengths()
    {
        Gen.Select(Gen.Byte.Array[0, 200], Gen.Byte.Array[0, 80], Gen.Int[1, 40], Gen.Int[1, 200]).Sample((password, salt, iterations, length) =>
        {
            byte[] reference = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
                password, salt, iterations, System.Security.Cryptography.HashAlgorithmName.SHA512, length);
            byte[] output = new byte[length + 2];
            Pbkdf2HmacSha512.DeriveKey(password, 0, password.Length, salt, 0, salt.Length, iterations, output, 1, length);
            return output[0] == 0 && output[^1] == 0 && output.AsSpan(1, length).SequenceEqual(reference);
        }, iter: 300);
    }

    [Fact]
    public void A_zero_iteration_count_and_bad_ranges_throw()
    {
        byte[] b = new byte[8];
        Assert.Throws<ArgumentOutOfRangeException>(() => Pbkdf2HmacSha512.DeriveKey(b, 0, 8, b, 0, 8, 0, b, 0, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pbkdf2HmacSha512.DeriveKey(b, 0, 9, b, 0, 8, 1, b, 0, 8));
        Assert.Throws<ArgumentNullException>(() => Pbkdf2HmacSha512.DeriveKey(b, 0, 8, null!, 0, 0, 1, b, 0, 8));
    }
}
