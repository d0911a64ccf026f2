using System;
using System.Collections.Generic;
using System.Linq;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Utxo;
using NBitcoin;
using NBitcoin.DataEncoders;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

public sealed class HdDerivationTests
{
    private const string Abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    private const string AnvilMnemonic = "test test test test test test test test test test test junk";

    private static HdAccounts Accounts(string mnemonic, string passphrase = "")
    {
        Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(mnemonic, out RecoveryPhrase? phrase, out _));
        Assert.Equal(RecoveryPhraseError.None, WalletSeed.TryFromPhrase(phrase!, passphrase, out WalletSeed? seed));
        return seed!.ToAccounts();
    }

    [Fact]
    public void Bip32_vectors_1_and_2_give_every_xprv_and_xpub()
    {
        HdAccounts? accounts = null;
        int chains = 0;
        foreach (string[] row in Vectors.Rows("bip32-vectors.txt"))
        {
            if (row[0] == "seed")
            {
                accounts = WalletSeed.FromBytes(Convert.FromHexString(row[1])).ToAccounts();
                continue;
            }

            var path = KeyPath.Parse(row[0].Replace('H', '\''));
            ExtKey key = accounts!.Derive(path);
            Assert.Equal(row[2], key.ToString(Network.Main));
            Assert.Equal(row[1], key.Neuter().ToString(Network.Main));
            chains++;
        }

        Assert.Equal(12, chains);
    }

    [Fact]
    public void Bip84_vectors_give_key_pubkey_and_bc1_address()
    {
        HdAccounts accounts = Accounts(Abandon);
        List<string[]> rows = Vectors.Rows("bip84-vectors.txt");
        Assert.Equal(3, rows.Count);
        foreach (string[] row in rows)
        {
            int[] p = row[0].Split('/').Skip(1).Select(s => int.Parse(s.TrimEnd('\''))).ToArray();
            SegwitAccount account = accounts.SegwitAccount(UtxoNetwork.BitcoinMainnet, p[2], p[3], p[4]);
            Assert.Equal(row[0], account.Path);
            Assert.Equal(new BitcoinSecret(row[1], Network.Main).PrivateKey.ToBytes(), account.ExportPrivateKey());
            Assert.Equal(row[2], Convert.ToHexStringLower(account.PublicKey));
            Assert.Equal(row[3], account.Address);
            Assert.DoesNotContain(row[1], account.ToString());
        }
    }

    [Fact]
    public void Anvil_dev_mnemonic_gives_the_anvil_accounts()
    {
        HdAccounts accounts = Accounts(AnvilMnemonic);
        List<string[]> rows = Vectors.Rows("anvil-accounts.txt");
        Assert.Equal(2, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            EthereumAccount account = accounts.EthereumAccount(i);
            Assert.Equal(rows[i][0], account.Path);
            Assert.Equal(rows[i][1], account.Address.ToString());
            Assert.DoesNotContain(Convert.ToHexStringLower(account.ExportPrivateKey()), account.ToString().ToLowerInvariant());
        }
    }

    [Theory]
    [InlineData(UtxoNetwork.BitcoinMainnet, "bc", 0)]
    [InlineData(UtxoNetwork.BitcoinTestnet, "tb", 1)]
    [InlineData(UtxoNetwork.BitcoinSignet, "tb", 1)]
    [InlineData(UtxoNetwork.BitcoinRegtest, "bcrt", 1)]
    [InlineData(UtxoNetwork.LitecoinMainnet, "ltc", 2)]
    [InlineData(UtxoNetwork.LitecoinRegtest, "rltc", 1)]
    public void Each_network_uses_its_coin_type_and_hrp_with_the_hash160_program(UtxoNetwork network, string hrp, int coin)
    {
        SegwitAccount account = Accounts(Abandon).SegwitAccount(network, 0, 0, 0);
        Assert.Equal($"m/84'/{coin}'/0'/0/0", account.Path);
        Assert.StartsWith(hrp + "1q", account.Address);
        byte[] program = Encoders.Bech32(hrp).Decode(account.Address, out byte version);
        Assert.Equal(0, version);
        Assert.Equal(new PubKey(account.PublicKey.ToArray()).WitHash.ToBytes(), program);
    }

    [Fact]
    public void Bitcoin_test_networks_agree_with_nbitcoin()
    {
        HdAccounts accounts = Accounts(Abandon);
        foreach ((UtxoNetwork ours, Network theirs) in new[] { (UtxoNetwork.BitcoinTestnet, Network.TestNet), (UtxoNetwork.BitcoinRegtest, Network.RegTest) })
        {
            SegwitAccount account = accounts.SegwitAccount(ours, 0, 0, 0);
            Assert.Equal(new PubKey(account.PublicKey.ToArray()).GetAddress(ScriptPubKeyType.Segwit, theirs).ToString(), account.Address);
        }
    }

    [Fact]
    public void A_passphrase_changes_every_account()
    {
        Assert.NotEqual(Accounts(AnvilMnemonic).EthereumAccount(0).Address, Accounts(AnvilMnemonic, "x").EthereumAccount(0).Address);
    }

    [Fact]
    public void A_non_ascii_passphrase_is_a_typed_error()
    {
        Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(Abandon, out RecoveryPhrase? phrase, out _));
        Assert.Equal(RecoveryPhraseError.PassphraseNotAscii, WalletSeed.TryFromPhrase(phrase!, "é", out WalletSeed? seed));
        Assert.Null(seed);
    }

    [Fact]
    public void Out_of_range_indices_are_refused()
    {
        HdAccounts accounts = Accounts(Abandon);
        Assert.Throws<ArgumentOutOfRangeException>(() => accounts.EthereumAccount(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => accounts.SegwitAccount(UtxoNetwork.BitcoinMainnet, 0, 2, 0));
        Assert.Throws<ArgumentException>(() => WalletSeed.FromBytes(new byte[15]));
    }

    [Fact]
    public void An_identity_phrase_round_trips_and_gives_stable_addresses()
    {
        var root = new byte[NodeIdentity.RootSecretSize];
        for (int i = 0; i < root.Length; i++)
        {
            root[i] = (byte)(i * 7 + 3);
        }

        RecoveryPhrase phrase = RecoveryPhrase.FromIdentity(NodeIdentity.FromRootSecret(root));
        Assert.Equal(RecoveryPhrase.IdentityWordCount, phrase.WordCount);
        Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(phrase.Text, out RecoveryPhrase? again, out _));
        Assert.Equal(root, again!.ToIdentity()!.ExportRootSecret());

        HdAccounts first = Accounts(phrase.Text);
        HdAccounts second = Accounts(again.Text);
        Assert.Equal(first.EthereumAccount(3).Address, second.EthereumAccount(3).Address);
        Assert.Equal(first.SegwitAccount(UtxoNetwork.LitecoinMainnet, 1, 1, 5).Address, second.SegwitAccount(UtxoNetwork.LitecoinMainnet, 1, 1, 5).Address);
        Assert.NotEqual(first.EthereumAccount(0).Address, first.EthereumAccount(1).Address);
    }
}
