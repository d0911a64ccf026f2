using System.Numerics;
using CsCheck;
using MeshMessenger.Wallet.Amounts;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

public sealed class AssetAmountTests
{
    [Theory]
    [InlineData("1", 18, "1000000000000000000")]
    [InlineData("1.5", 6, "1500000")]
    [InlineData("0.000001", 6, "1")]
    [InlineData(".5", 1, "5")]
    [InlineData("5.", 0, "5")]
    [InlineData("007.100", 3, "7100")]
    [InlineData("1.10", 1, "11")] // trailing zeros beyond the decimals are not precision lost
    [InlineData("0", 0, "0")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935", 0, "115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void Parses_decimals_exactly(string text, int decimals, string units) =>
        Assert.Equal(BigInteger.Parse(units), AssetAmount.Parse(text, decimals));

    [Theory]
    [InlineData("", 18)]
    [InlineData(".", 18)]
    [InlineData("-1", 18)]
    [InlineData("+1", 18)]
    [InlineData("1e18", 18)]
    [InlineData("1E2", 18)]
    [InlineData("1,5", 18)]
    [InlineData("1 000", 18)]
    [InlineData(" 1", 18)]
    [InlineData("1.2.3", 18)]
    [InlineData("0x10", 18)]
    [InlineData("١", 0)] // Arabic-Indic digit one: char.IsDigit says yes, an amount says no
    [InlineData("NaN", 18)]
    [InlineData("0.0000001", 6)]
    [InlineData("1.5", 0)]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936", 0)] // 2^256
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639.936", 3)]
    public void Refuses_what_is_not_an_amount(string text, int decimals) =>
        Assert.Equal(WalletError.InvalidAmount, Assert.Throws<WalletException>(() => AssetAmount.Parse(text, decimals)).Error);

    [Theory]
    [InlineData("1000000000000000000", 18, "1")]
    [InlineData("1500000", 6, "1.5")]
    [InlineData("1", 6, "0.000001")]
    [InlineData("0", 6, "0")]
    [InlineData("42", 0, "42")]
    public void Formats_without_trailing_zeros(string units, int decimals, string text) =>
        Assert.Equal(text, AssetAmount.Format(BigInteger.Parse(units), decimals));

    [Fact]
    public void Format_then_parse_is_the_identity_for_every_uint256_and_decimals()
    {
        Gen.Select(Gen.Byte.Array[0, 32], Gen.Int[0, 30]).Sample((bytes, decimals) =>
        {
            var units = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            string text = AssetAmount.Format(units, decimals);
            return AssetAmount.Parse(text, decimals) == units && !text.EndsWith('.') && (!text.Contains('.') || !text.EndsWith('0'));
        });
    }

    [Fact]
    public void Parse_then_format_keeps_the_digits_people_wrote()
    {
        Gen.Select(Gen.ULong, Gen.Int[0, 18]).Sample((value, decimals) =>
        {
            string text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string written = decimals == 0 || text.Length <= decimals ? text : text[..^decimals] + "." + text[^decimals..];
            BigInteger units = AssetAmount.Parse(written, decimals);
            return units == value || (text.Length <= decimals && units == value * BigInteger.Pow(10, decimals));
        });
    }
}
