using System;
using System.Globalization;
using System.Text;
using MeshMessenger.Wallet.Utxo;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

public sealed class UtxoAddressTextTests
{
    // The vector file writes bytes a line cannot hold as \xNN.
    private static string Unescape(string text)
    {
        var result = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                result.Append((char)int.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    // A P2TR address (bech32m, BIP-350), written by NBitcoin.
    private static string Taproot() =>
        new NBitcoin.Key().PubKey.GetAddress(NBitcoin.ScriptPubKeyType.TaprootBIP86, NBitcoin.Network.Main).ToString();

    [Fact]
    public void Bip173_valid_bech32_strings_decode_and_invalid_ones_are_refused()
    {
        int valid = 0, invalid = 0;
        foreach (string[] row in Vectors.Rows("bip173-vectors.txt"))
        {
            string text = Unescape(row[1]);
            if (row[0] == "valid-bech32")
            {
                UtxoAddressText.DecodeBech32(text, out string hrp, out bool bech32m);
                Assert.False(bech32m, text);
                Assert.Equal(text[..text.LastIndexOf('1')].ToLowerInvariant(), hrp);
                valid++;
            }
            else if (row[0] == "invalid-bech32")
            {
                var e = Assert.Throws<WalletException>(() => UtxoAddressText.DecodeBech32(text, out _, out _));
                Assert.True(e.Error is WalletError.InvalidAddress or WalletError.BadChecksum, text);
                invalid++;
            }
        }

        Assert.Equal(7, valid);
        Assert.Equal(12, invalid);
    }

    [Fact]
    public void Bip173_segwit_addresses_only_v0_p2wpkh_is_accepted_with_its_script()
    {
        int accepted = 0, refused = 0;
        foreach (string[] row in Vectors.Rows("bip173-vectors.txt"))
        {
            if (row[0] == "valid-address")
            {
                byte[] script = Convert.FromHexString(row[2]);
                if (script.Length == 22 && script[0] == 0x00)
                {
                    UtxoAddress address = UtxoAddressText.Parse(row[1]);
                    Assert.Equal(UtxoNetwork.BitcoinMainnet, address.Network);
                    Assert.Equal(script, address.ScriptPubKey);
                    Assert.Equal(row[1].ToLowerInvariant(), address.ToString());
                    accepted++;
                }
                else
                {
                    // P2WSH and witness v1+ : not P2WPKH, so not spendable by this wallet.
                    var e = Assert.Throws<WalletException>(() => UtxoAddressText.Parse(row[1]));
                    Assert.Equal(WalletError.InvalidAddress, e.Error);
                    Assert.Contains("P2WPKH", e.Message, StringComparison.Ordinal);
                    refused++;
                }
            }
            else if (row[0] == "invalid-address")
            {
                var e = Assert.Throws<WalletException>(() => UtxoAddressText.Parse(row[1]));
                WalletError expected = row[2] == "Invalid" && row[3] == "checksum" ? WalletError.BadChecksum : WalletError.InvalidAddress;
                Assert.True(e.Error == expected, $"{row[1]}: {e.Error} {e.Message}");
                refused++;
            }
        }

        Assert.Equal(1, accepted);
        Assert.Equal(15, refused);
    }

    [Fact]
    public void Wrong_network_names_both_and_a_mistyped_character_is_a_bad_checksum()
    {
        const string mainnet = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
        var e = Assert.Throws<WalletException>(() => UtxoAddressText.Parse(mainnet, UtxoNetwork.LitecoinMainnet));
        Assert.Equal(WalletError.WrongChain, e.Error);
        Assert.Contains("BitcoinMainnet", e.Message, StringComparison.Ordinal);
        Assert.Contains("LitecoinMainnet", e.Message, StringComparison.Ordinal);

        string litecoin = UtxoAddressText.Encode(UtxoNetwork.LitecoinRegtest, new byte[20]);
        Assert.StartsWith("rltc1q", litecoin, StringComparison.Ordinal);
        Assert.Equal(new byte[21], UtxoAddressText.Parse(litecoin, UtxoNetwork.LitecoinRegtest).Bytes);
        string mistyped = litecoin[..^1] + (litecoin[^1] == 'q' ? 'p' : 'q');
        Assert.Equal(WalletError.BadChecksum, Assert.Throws<WalletException>(() => UtxoAddressText.Parse(mistyped, UtxoNetwork.LitecoinRegtest)).Error);

        // Signet shares testnet's "tb" (BIP-325).
        Assert.Equal(UtxoNetwork.BitcoinSignet, UtxoAddressText.Parse("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", UtxoNetwork.BitcoinSignet).Network);

        // Legacy base58 and P2TR are refused as unsupported forms, garbage as invalid; nothing crashes.
        foreach (string text in new[] { "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", Taproot(), "", "ltc1", "\u00e9\u00e9" })
        {
            var refused = Assert.Throws<WalletException>(() => UtxoAddressText.Parse(text));
            Assert.Equal(WalletError.InvalidAddress, refused.Error);
        }
    }
}
