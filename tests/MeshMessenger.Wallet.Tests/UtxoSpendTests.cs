using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Utxo;
using NBitcoin;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

public sealed class UtxoSpendTests
{
    private const string Abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    internal static HdAccounts Accounts()
    {
        Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(Abandon, out RecoveryPhrase? phrase, out _));
        Assert.Equal(RecoveryPhraseError.None, WalletSeed.TryFromPhrase(phrase!, string.Empty, out WalletSeed? seed));
        return seed!.ToAccounts();
    }

    private static SpendableOutput Coin(SegwitAccount owner, ulong value, byte tag) =>
        new(new UnspentOutput(Enumerable(tag), 0, value, 10), owner);

    private static byte[] Enumerable(byte tag)
    {
        byte[] id = new byte[32];
        id[31] = tag;
        id[0] = 0xab;
        return id;
    }

    [Fact]
    public void Build_picks_largest_first_pays_change_signals_rbf_and_signs_every_input()
    {
        HdAccounts accounts = Accounts();
        SegwitAccount a = accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 0);
        SegwitAccount b = accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 1);
        SegwitAccount change = accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 1, 0);
        UtxoAddress to = UtxoAddressText.Parse(accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 1, 0, 0).Address, UtxoNetwork.LitecoinRegtest);
        var coins = new List<SpendableOutput> { Coin(a, 10_000, 1), Coin(b, 70_000, 2), Coin(a, 50_000, 3) };

        SignedUtxoTransaction tx = UtxoSpend.Build(UtxoNetwork.LitecoinRegtest, coins, to, 100_000, 3, change);
        Transaction parsed = Transaction.Load(tx.Raw, Network.Main);
        Assert.Equal(2, parsed.Inputs.Count); // 70,000 then 50,000: the smallest is not needed
        Assert.Equal(new[] { (byte)2, (byte)3 }, new[] { parsed.Inputs[0].PrevOut.Hash.ToBytes()[0], parsed.Inputs[1].PrevOut.Hash.ToBytes()[0] });
        Assert.All(parsed.Inputs, i => Assert.Equal(UtxoSpend.ReplaceableSequence, (uint)i.Sequence));
        Assert.True(parsed.RBF);
        Assert.Equal(to.ScriptPubKey, parsed.Outputs[0].ScriptPubKey.ToBytes());
        Assert.Equal(100_000, parsed.Outputs[0].Value.Satoshi);
        Assert.Equal(120_000UL - 100_000 - tx.Fee, (ulong)parsed.Outputs[1].Value.Satoshi);
        Assert.True(tx.Fee >= 3UL * (ulong)parsed.GetVirtualSize(), $"fee {tx.Fee} for {parsed.GetVirtualSize()} vB");
        Assert.Equal(tx.TransactionIdHex, parsed.GetHash().ToString());

        // Each signature verifies against its input's P2WPKH script and amount (BIP-143).
        var spent = new List<ICoin>();
        foreach (SpendableOutput c in coins)
        {
            var script = new WitKeyId(new PubKey(c.Owner.PublicKey.ToArray()).WitHash.ToBytes()).ScriptPubKey;
            spent.Add(new NBitcoin.Coin(new OutPoint(new uint256(Convert.ToHexStringLower(c.Output.TransactionId)), 0), new TxOut(Money.Satoshis(c.Output.Value), script)));
        }

        TransactionBuilder check = Network.Main.CreateTransactionBuilder().AddCoins(spent);
        Assert.True(check.Verify(parsed, out var errors), string.Join("; ", (IEnumerable<object>)errors));
    }

    [Fact]
    public void Refusals_dust_insufficient_funds_wrong_chain_and_under_paying_bump()
    {
        HdAccounts accounts = Accounts();
        SegwitAccount a = accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 0);
        SegwitAccount change = accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 1, 0);
        UtxoAddress to = new(UtxoNetwork.LitecoinRegtest, new byte[20]);
        var coins = new List<SpendableOutput> { Coin(a, 10_000, 1) };

        var dust = Assert.Throws<WalletException>(() => UtxoSpend.Build(UtxoNetwork.LitecoinRegtest, coins, to, 293, 1, change));
        Assert.Equal(WalletError.Dust, dust.Error);
        UtxoSpend.Build(UtxoNetwork.LitecoinRegtest, coins, to, 294, 1, change);

        var poor = Assert.Throws<WalletException>(() => UtxoSpend.Build(UtxoNetwork.LitecoinRegtest, coins, to, 9_950, 1, change));
        Assert.Equal(WalletError.InsufficientFunds, poor.Error);
        Assert.Contains("have 10000", poor.Message, StringComparison.Ordinal);
        Assert.Contains("need 10060", poor.Message, StringComparison.Ordinal); // 9,950 + (11 + 68 + 31) vB × 1

        var wrong = Assert.Throws<WalletException>(() => UtxoSpend.Build(UtxoNetwork.LitecoinRegtest, coins, new UtxoAddress(UtxoNetwork.BitcoinRegtest, new byte[20]), 1_000, 1, change));
        Assert.Equal(WalletError.WrongChain, wrong.Error);

        // Change below dust goes to the fee instead of making a dust output.
        SignedUtxoTransaction noChange = UtxoSpend.Build(UtxoNetwork.LitecoinRegtest, coins, to, 9_800, 1, change);
        Assert.Null(noChange.Change);
        Assert.Equal(200UL, noChange.Fee);

        SignedUtxoTransaction original = UtxoSpend.Build(UtxoNetwork.LitecoinRegtest, coins, to, 5_000, 2, change);
        Assert.Equal(WalletError.FeeTooLow, Assert.Throws<WalletException>(() => UtxoSpend.Bump(original, 2)).Error);
        SignedUtxoTransaction bumped = UtxoSpend.Bump(original, 3);
        Assert.True(bumped.Fee >= original.Fee + (ulong)bumped.VirtualSize);
        Assert.NotEqual(original.TransactionIdHex, bumped.TransactionIdHex);
        Assert.Equal(original.Inputs, bumped.Inputs);

        SignedUtxoTransaction final = UtxoSpend.Build(UtxoNetwork.LitecoinRegtest, coins, to, 5_000, 2, change, replaceable: false);
        Assert.False(Transaction.Load(final.Raw, Network.Main).RBF);
        Assert.Equal(WalletError.FeeTooLow, Assert.Throws<WalletException>(() => UtxoSpend.Bump(final, 10)).Error);
    }

    [Fact]
    public async Task Receive_scan_stops_after_a_gap_of_twenty_unused_addresses()
    {
        HdAccounts accounts = Accounts();
        async Task<int> Next(HashSet<int> used)
        {
            var asked = new List<int>();
            SegwitAccount next = await ReceiveAddresses.NextUnusedAsync(accounts, UtxoNetwork.BitcoinMainnet, 0, (candidate, _) =>
            {
                int index = int.Parse(candidate.Path[(candidate.Path.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                asked.Add(index);
                return Task.FromResult(used.Contains(index));
            }, CancellationToken.None);
            int found = int.Parse(next.Path[(next.Path.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(found + ReceiveAddresses.GapLimit, asked.Count); // indices 0.. up to 20 past the last used one
            return found;
        }

        Assert.Equal(0, await Next([]));
        Assert.Equal(2, await Next([0, 1]));
        Assert.Equal(25, await Next([0, 1, 5, 24])); // 6..23 is a gap of 18: 24 is still found
        Assert.Equal(1, await Next([0, 21]));       // 1..20 is a gap of 20: 21 is never asked
    }
}
