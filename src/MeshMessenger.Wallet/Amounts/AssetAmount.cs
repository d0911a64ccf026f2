using System;
using System.Globalization;
using System.Numerics;

namespace MeshMessenger.Wallet.Amounts;

/// <summary>
/// Amounts as people write them ("1.5") and as chains count them (base units: wei, satoshi, a token's smallest unit,
/// 10^-decimals of one). Exact: no float, no double, no culture (the separator is always '.').
/// </summary>
public static class AssetAmount
{
    /// <summary>The largest amount any supported chain can hold: 2^256 - 1 (an EVM uint256 word).</summary>
    public static readonly BigInteger MaxValue = (BigInteger.One << 256) - 1;

    /// <summary>
    /// Parses a non-negative decimal ("12", "0.5", ".5", "5.") into base units. Refused with
    /// <see cref="WalletError.InvalidAmount"/>: empty text, signs, exponents, grouping, spaces, more than one '.',
    /// more fraction digits than <paramref name="decimals"/> (no silent rounding), and values above 2^256 - 1.
    /// </summary>
    public static BigInteger Parse(string text, int decimals)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 77); // 10^78 > 2^256: more could never hold one unit

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? text : text[..dot];
        string fraction = dot < 0 ? string.Empty : text[(dot + 1)..];
        if (whole.Length + fraction.Length == 0)
        {
            throw Invalid(text, "an amount needs at least one digit");
        }

        if (!AllDigits(whole) || !AllDigits(fraction))
        {
            throw Invalid(text, "an amount is digits with at most one '.' (no sign, exponent, spaces or grouping)");
        }

        string significant = fraction.TrimEnd('0');
        if (significant.Length > decimals)
        {
            throw Invalid(text, $"this asset has {decimals} decimal places; the amount has {significant.Length}");
        }

        if (whole.Length > 100)
        {
            throw Invalid(text, "the amount is larger than 2^256 - 1 base units");
        }

        string digits = (whole + significant.PadRight(decimals, '0')).TrimStart('0');
        BigInteger value = digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > MaxValue)
        {
            throw Invalid(text, "the amount is larger than 2^256 - 1 base units");
        }

        return value;
    }

    /// <summary>Formats base units as a decimal with '.' and no trailing fraction zeros ("1.5", "2", "0.000001").</summary>
    public static string Format(BigInteger units, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units.Sign);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        string digits = units.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        string whole = digits[..^decimals];
        string fraction = digits[^decimals..].TrimEnd('0');
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }

    private static bool AllDigits(string s)
    {
        foreach (char c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static WalletException Invalid(string text, string why) =>
        new(WalletError.InvalidAmount, $"\"{(text.Length > 80 ? text[..80] + "…" : text)}\" is not an amount: {why}");
}
