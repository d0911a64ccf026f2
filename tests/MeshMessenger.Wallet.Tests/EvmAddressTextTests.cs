using System;
using System.Linq;
using MeshMessenger.Wallet.Evm;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

public sealed class EvmAddressTextTests
{
    [Fact]
    public void Eip55_test_addresses_parse_and_format_back()
    {
        var rows = Vectors.Rows("eip55.txt");
        Assert.Equal(8, rows.Count);
        foreach (string[] row in rows)
        {
            byte[] bytes = EvmAddressText.Parse(row[0]);
            Assert.Equal(Convert.FromHexString(row[0][2..]), bytes);
            bool mixed = row[0].Any(char.IsUpper) && row[0][2..].Any(char.IsLower);
            if (mixed)
            {
                Assert.Equal(row[0], EvmAddressText.Format(bytes)); // the "normal" vectors are exactly the EIP-55 form
            }

            Assert.Equal(bytes, EvmAddressText.Parse(row[0].ToLowerInvariant()));
            Assert.Equal(bytes, EvmAddressText.Parse("0x" + row[0][2..].ToUpperInvariant()));
        }
    }

    [Fact]
    public void A_mixed_case_address_with_one_letter_flipped_is_a_bad_checksum()
    {
        foreach (string[] row in Vectors.Rows("eip55.txt").Where(r => r[0][2..].Any(char.IsUpper) && r[0][2..].Any(char.IsLower)))
        {
            char[] chars = row[0].ToCharArray();
            int i = Array.FindIndex(chars, 2, char.IsLetter);
            chars[i] = char.IsUpper(chars[i]) ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
            Assert.Equal(WalletError.BadChecksum, Assert.Throws<WalletException>(() => EvmAddressText.Parse(new string(chars))).Error);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")] // 39 digits
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0")] // 41
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00")] // no 0x
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")] // g
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA d")]
    [InlineData("vitalik.eth")]
    public void Wrong_length_or_non_hex_is_an_invalid_address(string text) =>
        Assert.Equal(WalletError.InvalidAddress, Assert.Throws<WalletException>(() => EvmAddressText.Parse(text)).Error);
}
