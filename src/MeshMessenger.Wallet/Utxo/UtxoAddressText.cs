using System;
using System.Collections.Generic;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// Reads what a person typed or scanned as a Bitcoin-family address. Only native segwit v0 P2WPKH (BIP-141, BIP-173
/// bech32) is supported; every other input is a typed refusal: a bech32 checksum that does not match is
/// <see cref="WalletError.BadChecksum"/>, another network's human-readable part is <see cref="WalletError.WrongChain"/>
/// naming both, and every other form (P2TR, P2WSH, legacy base58, garbage) is <see cref="WalletError.InvalidAddress"/>.
/// </summary>
public static class UtxoAddressText
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    // BIP-173 "Checksum": polymod of the expanded HRP and data is 1 for bech32; BIP-350 uses 0x2bc830a3 (bech32m).
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    private static readonly UtxoNetwork[] Networks =
    [
        UtxoNetwork.BitcoinMainnet, UtxoNetwork.BitcoinTestnet, UtxoNetwork.BitcoinRegtest,
        UtxoNetwork.LitecoinMainnet, UtxoNetwork.LitecoinRegtest,
    ];

    /// <summary>
    /// Parses <paramref name="text"/> as a P2WPKH address of <paramref name="expected"/> (signet shares testnet's "tb").
    /// </summary>
    /// <exception cref="WalletException">BadChecksum, WrongChain or InvalidAddress, with the reason.</exception>
    public static UtxoAddress Parse(string? text, UtxoNetwork expected)
    {
        UtxoAddress address = Parse(text);
        string want = SegwitAddress.HumanReadablePart(expected);
        string got = SegwitAddress.HumanReadablePart(address.Network);
        if (want != got)
        {
            throw new WalletException(WalletError.WrongChain, $"this is a {address.Network} address ({got}1…), but the payment is on {expected} ({want}1…)");
        }

        return new UtxoAddress(expected, address.Program);
    }

    /// <summary>Parses <paramref name="text"/> as a P2WPKH address of whichever network its human-readable part names ("tb" reads as testnet).</summary>
    /// <exception cref="WalletException">BadChecksum or InvalidAddress, with the reason.</exception>
    public static UtxoAddress Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new WalletException(WalletError.InvalidAddress, "no address given");
        }

        text = text.Trim();
        byte[] values;
        string hrp;
        bool bech32m;
        try
        {
            values = DecodeBech32(text, out hrp, out bech32m);
        }
        catch (WalletException e) when (e.Error == WalletError.InvalidAddress)
        {
            throw new WalletException(WalletError.InvalidAddress, $"{e.Message}; only native segwit v0 P2WPKH (bech32) addresses are supported, not legacy base58 ones", e);
        }

        UtxoNetwork? network = null;
        foreach (UtxoNetwork candidate in Networks)
        {
            if (SegwitAddress.HumanReadablePart(candidate) == hrp)
            {
                network = candidate;
            }
        }

        if (network is null)
        {
            throw new WalletException(WalletError.InvalidAddress, $"\"{hrp}\" is not the human-readable part of a supported network (bc, tb, bcrt, ltc, rltc)");
        }

        if (values.Length == 0)
        {
            throw new WalletException(WalletError.InvalidAddress, "the address has no witness version (BIP-173: empty data section)");
        }

        int version = values[0];
        if (version != 0 || bech32m)
        {
            // BIP-350: version 0 uses bech32, versions 1-16 bech32m; either way only v0 P2WPKH is spendable here.
            throw new WalletException(WalletError.InvalidAddress, $"witness version {version} (for example P2TR) is not supported: only native segwit v0 P2WPKH addresses ({hrp}1q…)");
        }

        byte[] program = ConvertBits(values.AsSpan(1), 5, 8, pad: false)
            ?? throw new WalletException(WalletError.InvalidAddress, "the witness program has invalid padding (BIP-173 \"Decoding\")");
        if (program.Length == 32)
        {
            throw new WalletException(WalletError.InvalidAddress, "this is a P2WSH (script) address: only native segwit v0 P2WPKH addresses are supported");
        }

        if (program.Length != 20)
        {
            throw new WalletException(WalletError.InvalidAddress, $"a version-0 witness program is 20 or 32 bytes (BIP-141), not {program.Length}");
        }

        return new UtxoAddress(network.Value, program);
    }

    /// <summary>The bech32 text of a 20-byte P2WPKH program on <paramref name="network"/> (BIP-173), lower case; NBitcoin's encoder, as <see cref="SegwitAddress.Encode"/> uses.</summary>
    public static string Encode(UtxoNetwork network, ReadOnlySpan<byte> program) =>
        NBitcoin.DataEncoders.Encoders.Bech32(SegwitAddress.HumanReadablePart(network)).Encode(0, program.ToArray());

    /// <summary>
    /// Decodes a BIP-173 string into its human-readable part and 5-bit data values (checksum removed). A bech32m
    /// checksum (BIP-350) is accepted and reported in <paramref name="bech32m"/>.
    /// </summary>
    /// <exception cref="WalletException">BadChecksum when only the checksum fails; InvalidAddress for a malformed string.</exception>
    public static byte[] DecodeBech32(string text, out string hrp, out bool bech32m)
    {
        ArgumentNullException.ThrowIfNull(text);

        // BIP-173 "Bech32": at most 90 characters, HRP characters 33-126, one case only, last '1' separates.
        if (text.Length > 90)
        {
            throw new WalletException(WalletError.InvalidAddress, $"a bech32 string is at most 90 characters (BIP-173), this is {text.Length}");
        }

        bool lower = false, upper = false;
        foreach (char c in text)
        {
            if (c < 33 || c > 126)
            {
                throw new WalletException(WalletError.InvalidAddress, "the address holds a character outside US-ASCII 33-126 (BIP-173)");
            }

            lower |= c is >= 'a' and <= 'z';
            upper |= c is >= 'A' and <= 'Z';
        }

        if (lower && upper)
        {
            throw new WalletException(WalletError.InvalidAddress, "the address mixes upper and lower case (BIP-173 forbids it)");
        }

        string folded = text.ToLowerInvariant();
        int separator = folded.LastIndexOf('1');
        if (separator < 1)
        {
            throw new WalletException(WalletError.InvalidAddress, separator < 0 ? "no '1' separator (BIP-173)" : "empty human-readable part (BIP-173)");
        }

        if (folded.Length - separator - 1 < 6)
        {
            throw new WalletException(WalletError.InvalidAddress, "the checksum is shorter than 6 characters (BIP-173)");
        }

        hrp = folded[..separator];
        byte[] data = new byte[folded.Length - separator - 1];
        for (int i = 0; i < data.Length; i++)
        {
            int value = Charset.IndexOf(folded[separator + 1 + i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new WalletException(WalletError.InvalidAddress, $"'{folded[separator + 1 + i]}' is not a bech32 character (BIP-173)");
            }

            data[i] = (byte)value;
        }

        uint check = Polymod(Expand(hrp, [], data));
        if (check != Bech32Constant && check != Bech32mConstant)
        {
            throw new WalletException(WalletError.BadChecksum, "the address's bech32 checksum does not match: a character is mistyped (BIP-173)");
        }

        bech32m = check == Bech32mConstant;
        return data[..^6];
    }

    private static byte[] Expand(string hrp, IReadOnlyList<byte> values, byte[] tail)
    {
        var all = new List<byte>(hrp.Length * 2 + 1 + values.Count + tail.Length);
        foreach (char c in hrp)
        {
            all.Add((byte)(c >> 5));
        }

        all.Add(0);
        foreach (char c in hrp)
        {
            all.Add((byte)(c & 31));
        }

        all.AddRange(values);
        all.AddRange(tail);
        return all.ToArray();
    }

    // BIP-173 "Checksum": bech32_polymod.
    private static uint Polymod(byte[] values)
    {
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint chk = 1;
        foreach (byte v in values)
        {
            uint top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= generator[i];
                }
            }
        }

        return chk;
    }

    // BIP-173 reference convertbits: regroups bits; when decoding, at most 4 zero padding bits are allowed.
    private static byte[]? ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        int acc = 0, bits = 0;
        int maxv = (1 << to) - 1;
        var result = new List<byte>(data.Length * from / to + 1);
        foreach (byte value in data)
        {
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & maxv));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (to - bits)) & maxv));
            }
        }
        else if (bits >= from || ((acc << (to - bits)) & maxv) != 0)
        {
            return null;
        }

        return result.ToArray();
    }
}
