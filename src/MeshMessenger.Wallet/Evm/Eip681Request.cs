using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;
using MeshMessenger.Wallet.Amounts;

namespace MeshMessenger.Wallet.Evm;

/// <summary>
/// An ERC-681 payment request URI (eips.ethereum.org/EIPS/eip-681 §Syntax):
/// <c>ethereum:[pay-]0xRECIPIENT[@CHAINID][?value=WEI]</c> for Ether, and
/// <c>ethereum:[pay-]0xTOKEN[@CHAINID]/transfer?address=0xRECIPIENT[&amp;uint256=UNITS]</c> for an ERC-20 token.
/// Amounts are in base units; numbers may use the grammar's scientific notation (<c>2.014e18</c>) and must come
/// out as integers (§Syntax: "the exponent MUST be greater or equal to the number of decimals after the point").
/// Only these two forms are understood; ENS names are not resolved. Refusals are <see cref="WalletException"/>s.
/// </summary>
public sealed class Eip681Request
{
    private const string Scheme = "ethereum:";

    /// <summary>A request; <paramref name="token"/> null asks for Ether, otherwise for an ERC-20 transfer.</summary>
    public Eip681Request(byte[] recipient, ulong? chainId, byte[]? token, BigInteger? amount)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        EvmAddressText.Format(recipient); // validates the length
        if (token is not null)
        {
            EvmAddressText.Format(token);
        }

        if (amount is BigInteger a && (a.Sign < 0 || a > AssetAmount.MaxValue))
        {
            throw new WalletException(WalletError.InvalidAmount, $"{a} is not an amount between 0 and 2^256 - 1");
        }

        Recipient = (byte[])recipient.Clone();
        ChainId = chainId;
        Token = (byte[]?)token?.Clone();
        Amount = amount;
    }

    /// <summary>Who is to be paid (20 bytes).</summary>
    public byte[] Recipient { get; }

    /// <summary>The EIP-155 chain id, or null: then the payer's current network applies (§Semantics).</summary>
    public ulong? ChainId { get; }

    /// <summary>The ERC-20 contract (20 bytes), or null for Ether.</summary>
    public byte[]? Token { get; }

    /// <summary>The suggested amount in base units (wei or token units), or null: the payer is asked for one.</summary>
    public BigInteger? Amount { get; }

    /// <summary>Parses a request URI.</summary>
    /// <exception cref="WalletException"><see cref="WalletError.InvalidAddress"/> (not this URI form, ENS name, bad parameter),
    /// <see cref="WalletError.BadChecksum"/> (mixed-case address failing EIP-55), <see cref="WalletError.InvalidAmount"/> (number).</exception>
    public static Eip681Request Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string text = uri.Trim();
        if (text.Length > 2048 || !text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("a payment request starts with ethereum:");
        }

        string rest = text[Scheme.Length..];
        if (rest.StartsWith("pay-", StringComparison.Ordinal))
        {
            rest = rest[4..];
        }

        int query = rest.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? rest : rest[..query];
        string parameters = query < 0 ? string.Empty : rest[(query + 1)..];
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        string? function = slash < 0 ? null : path[(slash + 1)..];
        string target = slash < 0 ? path : path[..slash];
        int at = target.IndexOf('@', StringComparison.Ordinal);
        ulong? chainId = null;
        if (at >= 0)
        {
            string digits = target[(at + 1)..];
            if (digits.Length == 0 || !AllDigits(digits) || !ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong id))
            {
                throw Invalid($"the chain id \"{Shorten(digits)}\" is not a decimal number");
            }

            chainId = id;
            target = target[..at];
        }

        if (!target.StartsWith("0x", StringComparison.Ordinal))
        {
            throw Invalid("ENS names are not resolved here; the request needs a 0x address");
        }

        byte[] targetBytes = EvmAddressText.Parse(target);
        Dictionary<string, string> values = Parameters(parameters);
        if (function is null)
        {
            return new Eip681Request(targetBytes, chainId, null, values.TryGetValue("value", out string? wei) ? Number(wei) : null);
        }

        if (function != "transfer")
        {
            throw Invalid($"only Ether payments and ERC-20 transfer requests are understood, not \"{Shorten(function)}\"");
        }

        if (!values.TryGetValue("address", out string? recipient))
        {
            throw Invalid("a transfer request needs address=");
        }

        return new Eip681Request(EvmAddressText.Parse(recipient), chainId, targetBytes, values.TryGetValue("uint256", out string? units) ? Number(units) : null);
    }

    /// <summary>The URI: EIP-55 addresses, chain id when known, amount as a plain decimal integer.</summary>
    public string ToUri()
    {
        var b = new StringBuilder(Scheme);
        b.Append(EvmAddressText.Format(Token ?? Recipient));
        if (ChainId is ulong id)
        {
            b.Append('@').Append(id.ToString(CultureInfo.InvariantCulture));
        }

        if (Token is null)
        {
            if (Amount is BigInteger wei)
            {
                b.Append("?value=").Append(wei.ToString(CultureInfo.InvariantCulture));
            }
        }
        else
        {
            b.Append("/transfer?address=").Append(EvmAddressText.Format(Recipient));
            if (Amount is BigInteger units)
            {
                b.Append("&uint256=").Append(units.ToString(CultureInfo.InvariantCulture));
            }
        }

        return b.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToUri();

    /// <summary>
    /// number = [ "-" / "+" ] *DIGIT [ "." 1*DIGIT ] [ ( "e" / "E" ) [ 1*DIGIT ] ], exactly: the mantissa scaled by
    /// 10^exponent must be a non-negative integer of at most 2^256 - 1.
    /// </summary>
    internal static BigInteger Number(string text)
    {
        string t = text.StartsWith('+') ? text[1..] : text;
        if (t.StartsWith('-'))
        {
            throw new WalletException(WalletError.InvalidAmount, $"\"{Shorten(text)}\" is negative");
        }

        int e = t.IndexOfAny(['e', 'E']);
        string mantissa = e < 0 ? t : t[..e];
        string exponentDigits = e < 0 ? string.Empty : t[(e + 1)..];
        if (!AllDigits(exponentDigits) || mantissa.EndsWith('.') || mantissa.Length == 0)
        {
            throw new WalletException(WalletError.InvalidAmount, $"\"{Shorten(text)}\" is not an ERC-681 number");
        }

        int exponent = exponentDigits.Length == 0 ? 0
            : exponentDigits.TrimStart('0').Length <= 2 && int.TryParse(exponentDigits, NumberStyles.None, CultureInfo.InvariantCulture, out int x) && x <= 77 ? x
            : throw new WalletException(WalletError.InvalidAmount, $"\"{Shorten(text)}\": the exponent is larger than any uint256 allows");
        try
        {
            return AssetAmount.Parse(mantissa, exponent);
        }
        catch (WalletException inner)
        {
            throw new WalletException(WalletError.InvalidAmount, $"\"{Shorten(text)}\" is not a non-negative integer of at most 2^256 - 1 ({inner.Message})", inner);
        }
    }

    private static Dictionary<string, string> Parameters(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (query.Length == 0)
        {
            return values;
        }

        foreach (string pair in query.Split('&'))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Invalid($"\"{Shorten(pair)}\" is not key=value");
            }

            string key = pair[..eq];
            string value = Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!values.TryAdd(key, value))
            {
                throw Invalid($"{Shorten(key)}= appears twice");
            }

            if (key is "gas" or "gasLimit" or "gasPrice")
            {
                Number(value); // suggestions only, but they must be numbers (§Syntax)
            }
        }

        return values;
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

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "…" : s;

    private static WalletException Invalid(string why) => new(WalletError.InvalidAddress, $"not a payment request: {why}");
}
