using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// BIP-21 URIs, <c>bitcoin:ADDRESS?amount=…&amp;label=…&amp;message=…</c>, and the same grammar under the
/// <c>litecoin:</c> scheme. Amounts are decimal whole coins (BIP-21 "amountparam": digits, optional '.' and digits),
/// read into base units with 8 decimals as integers (no floating point). A "req-" parameter this reader does not
/// understand makes the URI invalid (BIP-21 "Query Keys"); other unknown parameters are kept in
/// <see cref="Bip21Request.Other"/>.
/// </summary>
public static class Bip21
{
    /// <summary>Base-unit digits after the point: 1 BTC = 10^8 satoshis, 1 LTC = 10^8 litoshis.</summary>
    public const int Decimals = 8;

    /// <summary>Parses a "bitcoin:" or "litecoin:" URI (scheme case-insensitive, RFC 3986 §3.1).</summary>
    /// <exception cref="WalletException"><see cref="WalletError.InvalidAddress"/> for a malformed URI or unknown required parameter;
    /// <see cref="WalletError.InvalidAmount"/> for an amount outside BIP-21's grammar or with more than 8 decimals.</exception>
    public static Bip21Request Parse(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw new WalletException(WalletError.InvalidAddress, "no payment URI given");
        }

        uri = uri.Trim();
        int colon = uri.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon < 0 ? string.Empty : uri[..colon].ToLowerInvariant();
        if (scheme != "bitcoin" && scheme != "litecoin")
        {
            throw new WalletException(WalletError.InvalidAddress, "a payment URI starts with bitcoin: or litecoin: (BIP-21)");
        }

        string rest = uri[(colon + 1)..];
        int question = rest.IndexOf('?', StringComparison.Ordinal);
        string address = Unescape(question < 0 ? rest : rest[..question]);
        if (address.Length == 0)
        {
            throw new WalletException(WalletError.InvalidAddress, "the payment URI has no address");
        }

        BigInteger? amount = null;
        string? label = null, message = null;
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        if (question >= 0)
        {
            foreach (string pair in rest[(question + 1)..].Split('&'))
            {
                if (pair.Length == 0)
                {
                    continue;
                }

                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                string key = Unescape(eq < 0 ? pair : pair[..eq]);
                string value = eq < 0 ? string.Empty : Unescape(pair[(eq + 1)..]);
                switch (key)
                {
                    case "amount":
                        if (amount is not null)
                        {
                            throw new WalletException(WalletError.InvalidAmount, "the payment URI gives the amount twice");
                        }

                        amount = ParseAmount(value);
                        break;
                    case "label":
                        label = value;
                        break;
                    case "message":
                        message = value;
                        break;
                    default:
                        if (key.StartsWith("req-", StringComparison.OrdinalIgnoreCase))
                        {
                            throw new WalletException(WalletError.InvalidAddress, $"the payment URI requires \"{key}\", which this wallet does not understand (BIP-21: such a URI is invalid)");
                        }

                        other[key] = value;
                        break;
                }
            }
        }

        return new Bip21Request(scheme, address, amount, label, message, other);
    }

    /// <summary>Writes a URI: scheme, address, then amount (whole coins, trailing zeros trimmed), label and message, percent-encoded.</summary>
    public static string Format(string scheme, string address, BigInteger? amount, string? label = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(address);
        var text = new StringBuilder(scheme).Append(':').Append(address);
        char separator = '?';
        if (amount is BigInteger value)
        {
            text.Append(separator).Append("amount=").Append(FormatAmount(value));
            separator = '&';
        }

        if (label is not null)
        {
            text.Append(separator).Append("label=").Append(Uri.EscapeDataString(label));
            separator = '&';
        }

        if (message is not null)
        {
            text.Append(separator).Append("message=").Append(Uri.EscapeDataString(message));
        }

        return text.ToString();
    }

    /// <summary>Reads a BIP-21 amount ("20.3", "50", ".5") into base units; at most 8 decimals.</summary>
    /// <exception cref="WalletException"><see cref="WalletError.InvalidAmount"/>.</exception>
    public static BigInteger ParseAmount(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int point = text.IndexOf('.', StringComparison.Ordinal);
        string whole = point < 0 ? text : text[..point];
        string fraction = point < 0 ? string.Empty : text[(point + 1)..];
        if (whole.Length + fraction.Length == 0 || !AllDigits(whole) || !AllDigits(fraction))
        {
            throw new WalletException(WalletError.InvalidAmount, $"\"{text}\" is not a BIP-21 amount (digits, optionally a '.' and digits, in whole coins)");
        }

        if (fraction.Length > Decimals)
        {
            throw new WalletException(WalletError.InvalidAmount, $"\"{text}\" has more than {Decimals} decimals");
        }

        BigInteger units = whole.Length == 0 ? BigInteger.Zero : BigInteger.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        BigInteger part = fraction.Length == 0 ? BigInteger.Zero : BigInteger.Parse(fraction.PadRight(Decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        return (units * BigInteger.Pow(10, Decimals)) + part;
    }

    /// <summary>Writes base units as whole coins with trailing zeros trimmed ("20.3", "50").</summary>
    public static string FormatAmount(BigInteger units)
    {
        if (units.Sign < 0)
        {
            throw new WalletException(WalletError.InvalidAmount, "an amount is not negative");
        }

        BigInteger scale = BigInteger.Pow(10, Decimals);
        string whole = BigInteger.Divide(units, scale).ToString(CultureInfo.InvariantCulture);
        string fraction = BigInteger.Remainder(units, scale).ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }

    private static bool AllDigits(string text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException e)
        {
            throw new WalletException(WalletError.InvalidAddress, "the payment URI is not percent-encoded properly (RFC 3986)", e);
        }
    }
}
