using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Utxo;
using NBitcoin;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

/// <summary>Against a real Litecoin Core regtest node (tests/setup.sh installs Debian's litecoind).</summary>
public sealed class UtxoLitecoinRegtestTests
{
    private const UtxoNetwork Net = UtxoNetwork.LitecoinRegtest;
    private const ulong Coinbase = 5_000_000_000; // 50 LTC: the regtest block subsidy
    private static readonly CancellationToken None = CancellationToken.None;

    private sealed class Setup : IAsyncDisposable
    {
        public required LocalLitecoinNode Node { get; init; }

        public required UtxoChainBackend Backend { get; init; }

        public required HdAccounts Accounts { get; init; }

        public SegwitAccount Funded => Accounts.SegwitAccount(Net, 0, 0, 0);

        public SegwitAccount Change => Accounts.SegwitAccount(Net, 0, 1, 0);

        public UtxoAddress Recipient => UtxoAddressText.Parse(Accounts.SegwitAccount(Net, 1, 0, 0).Address, Net);

        public ValueTask DisposeAsync()
        {
            Node.Dispose();
            return ValueTask.CompletedTask;
        }

        // Blocks to an address of a throwaway key: nobody here spends them.
        public Task<string[]> MineAsync(int blocks) =>
            Node.MineAsync(blocks, UtxoAddressText.Encode(Net, new NBitcoin.Key().PubKey.WitHash.ToBytes()));

        public async Task<List<SpendableOutput>> SpendableAsync(SegwitAccount owner) =>
            (await Backend.UnspentAsync(UtxoAddressText.Parse(owner.Address).Bytes, None)).Select(o => new SpendableOutput(o, owner)).ToList();
    }

    // A node whose wallet-less coinbase (block 1) pays the test wallet's first receive address and has matured (COINBASE_MATURITY 100).
    private static async Task<Setup> StartFundedAsync()
    {
        LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        var setup = new Setup { Node = node, Backend = new UtxoChainBackend(node.Rpc, Net), Accounts = UtxoSpendTests.Accounts() };
        await node.MineAsync(1, setup.Funded.Address);
        await setup.MineAsync(100);
        return setup;
    }

    [Fact]
    public async Task Payment_is_read_back_pending_included_and_final_after_six_blocks()
    {
        await using Setup s = await StartFundedAsync();
        byte[] funded = UtxoAddressText.Parse(s.Funded.Address).Bytes;
        Assert.Equal(new MeshMessenger.Protocol.Payments.ChainTag(MeshMessenger.Protocol.Payments.ChainFamily.Utxo, 5), s.Backend.Chain);
        IReadOnlyList<UnspentOutput> coins = await s.Backend.UnspentAsync(funded, None);
        UnspentOutput coinbase = Assert.Single(coins);
        Assert.Equal(Coinbase, coinbase.Value);
        Assert.Equal(101u, coinbase.Confirmations);
        Assert.Equal(Coinbase, (ulong)await s.Backend.BalanceAsync(funded, null, None));
        Assert.Equal(1u, (await s.Backend.FeesAsync(None)).SatoshisPerVirtualByte); // regtest has no estimate: minimum relay fee

        List<SpendableOutput> spendable = await s.SpendableAsync(s.Funded);
        var poor = Assert.Throws<WalletException>(() => UtxoSpend.Build(Net, spendable, s.Recipient, Coinbase, 1, s.Change));
        Assert.Equal(WalletError.InsufficientFunds, poor.Error);
        Assert.Contains("have 5000000000", poor.Message, StringComparison.Ordinal);

        SignedUtxoTransaction tx = UtxoSpend.Build(Net, spendable, s.Recipient, 100_000_000, 2, s.Change);
        Assert.Equal(tx.TransactionId, await s.Backend.BroadcastAsync(tx.Raw, None));
        Assert.Equal(new TransactionState(TransactionStage.Pending, 0, 0), await s.Backend.StateAsync(tx.TransactionId, None));
        Assert.Empty(await s.Backend.UnspentAsync(funded, None)); // the mempool spends it
        UnspentOutput pending = Assert.Single(await s.Backend.UnspentAsync(s.Recipient.Bytes, None));
        Assert.Equal((100_000_000UL, 0u, 0u), (pending.Value, pending.OutputIndex, pending.Confirmations));
        Assert.Equal(0, (int)await s.Backend.BalanceAsync(s.Recipient.Bytes, null, None)); // confirmed only

        IReadOnlyList<TransferFacts> facts = (await s.Backend.TransferAsync(tx.TransactionId, None))!;
        Assert.Equal(2, facts.Count);
        Assert.Equal(s.Recipient.Bytes, facts[0].Recipient);
        Assert.Equal(100_000_000, (long)facts[0].Amount);
        Assert.Null(facts[0].Token);
        Assert.Equal(UtxoAddressText.Parse(s.Change.Address).Bytes, facts[1].Recipient);
        Assert.Equal(Coinbase - 100_000_000 - tx.Fee, (ulong)facts[1].Amount);
        Assert.Equal(TransactionStage.Pending, facts[0].State.Stage);

        await s.MineAsync(1);
        Assert.Equal(new TransactionState(TransactionStage.Included, 102, 1), await s.Backend.StateAsync(tx.TransactionId, None));
        Assert.Equal(100_000_000, (long)await s.Backend.BalanceAsync(s.Recipient.Bytes, null, None));
        await s.MineAsync(4);
        Assert.Equal(new TransactionState(TransactionStage.Included, 102, 5), await s.Backend.StateAsync(tx.TransactionId, None));
        await s.MineAsync(1);
        Assert.Equal(new TransactionState(TransactionStage.Final, 102, 6), await s.Backend.StateAsync(tx.TransactionId, None));
        Assert.Equal(TransactionStage.Final, (await s.Backend.TransferAsync(tx.TransactionId, None))![0].State.Stage);

        // Unknown transaction; receive scan sees address 0 used (it holds nothing now, but the recipient's account 1 is separate).
        Assert.Equal(TransactionStage.Unknown, (await s.Backend.StateAsync(new byte[32], None)).Stage);
        Assert.Null(await s.Backend.TransferAsync(new byte[32], None));
        SegwitAccount next = await ReceiveAddresses.NextUnusedAsync(s.Accounts, Net, 1, ReceiveAddresses.HasOutputs(s.Backend), None);
        Assert.EndsWith("/0/1", next.Path, StringComparison.Ordinal);

        Assert.Equal(WalletError.WrongChain, (await Assert.ThrowsAsync<WalletException>(() => s.Backend.NonceAsync(funded, None))).Error);
        Assert.Equal(WalletError.InvalidAddress, (await Assert.ThrowsAsync<WalletException>(() => s.Backend.UnspentAsync(new byte[20], None))).Error);
    }

    [Fact]
    public async Task Rbf_bump_is_accepted_an_under_paying_replacement_refused_and_a_non_rbf_double_spend_refused()
    {
        await using Setup s = await StartFundedAsync();
        List<SpendableOutput> coins = await s.SpendableAsync(s.Funded);
        SignedUtxoTransaction original = UtxoSpend.Build(Net, coins, s.Recipient, 100_000_000, 1, s.Change);
        await s.Backend.BroadcastAsync(original.Raw, None);

        // Same input, same rate: BIP-125 rule 3/4 fails at the node.
        SignedUtxoTransaction cheap = UtxoSpend.Build(Net, coins, s.Recipient, 100_001_000, 1, s.Change);
        var refused = await Assert.ThrowsAsync<WalletException>(() => s.Backend.BroadcastAsync(cheap.Raw, None));
        Assert.Equal(WalletError.NodeRefused, refused.Error);
        Assert.Contains("insufficient fee", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WalletError.FeeTooLow, Assert.Throws<WalletException>(() => UtxoSpend.Bump(original, 1)).Error);

        SignedUtxoTransaction bumped = UtxoSpend.Bump(original, 5);
        Assert.Equal(bumped.TransactionId, await s.Backend.BroadcastAsync(bumped.Raw, None));
        Assert.Equal(TransactionStage.Unknown, (await s.Backend.StateAsync(original.TransactionId, None)).Stage);
        Assert.Equal(TransactionStage.Pending, (await s.Backend.StateAsync(bumped.TransactionId, None)).Stage);
        await s.MineAsync(1);
        Assert.Equal(TransactionStage.Included, (await s.Backend.StateAsync(bumped.TransactionId, None)).Stage);

        // Spent input now: the node says so.
        var gone = await Assert.ThrowsAsync<WalletException>(() => s.Backend.BroadcastAsync(cheap.Raw, None));
        Assert.Contains("missingorspent", gone.Message, StringComparison.Ordinal);

        // A non-replaceable payment, then a conflicting one paying more: refused as a mempool conflict.
        List<SpendableOutput> change = await s.SpendableAsync(s.Change);
        SignedUtxoTransaction final = UtxoSpend.Build(Net, change, s.Recipient, 1_000_000, 1, s.Change, replaceable: false);
        await s.Backend.BroadcastAsync(final.Raw, None);
        SignedUtxoTransaction conflict = UtxoSpend.Build(Net, change, s.Recipient, 2_000_000, 20, s.Change, replaceable: false);
        var conflictRefused = await Assert.ThrowsAsync<WalletException>(() => s.Backend.BroadcastAsync(conflict.Raw, None));
        Assert.Equal(WalletError.NodeRefused, conflictRefused.Error);
        Assert.Contains("txn-mempool-conflict", conflictRefused.Message, StringComparison.Ordinal);

        // A dust output the builder refuses, made by hand with NBitcoin: the node refuses it too.
        List<SpendableOutput> recipientCoins = await s.SpendableAsync(s.Accounts.SegwitAccount(Net, 1, 0, 0));
        Assert.Equal(WalletError.Dust, Assert.Throws<WalletException>(() => UtxoSpend.Build(Net, recipientCoins, s.Recipient, 293, 1, s.Change)).Error);
        SpendableOutput input = recipientCoins[0];
        var outPoint = new NBitcoin.OutPoint(new NBitcoin.uint256(Convert.ToHexStringLower(input.Output.TransactionId)), input.Output.OutputIndex);
        NBitcoin.Transaction dust = NBitcoin.Network.Main.CreateTransaction();
        dust.Inputs.Add(new NBitcoin.TxIn(outPoint));
        dust.Outputs.Add(new NBitcoin.TxOut(NBitcoin.Money.Satoshis(293), new NBitcoin.WitKeyId(s.Recipient.Program).ScriptPubKey));
        dust.Outputs.Add(new NBitcoin.TxOut(NBitcoin.Money.Satoshis((long)input.Output.Value - 293 - 1_000), new NBitcoin.WitKeyId(s.Recipient.Program).ScriptPubKey));
        NBitcoin.Network.Main.CreateTransactionBuilder()
            .AddCoins(new NBitcoin.Coin(outPoint, new NBitcoin.TxOut(NBitcoin.Money.Satoshis((long)input.Output.Value), new NBitcoin.WitKeyId(s.Recipient.Program).ScriptPubKey)))
            .AddKeys(new NBitcoin.Key(input.Owner.ExportPrivateKey()))
            .SignTransactionInPlace(dust);
        var dustRefused = await Assert.ThrowsAsync<WalletException>(() => s.Backend.BroadcastAsync(dust.ToBytes(), None));
        Assert.Equal(WalletError.NodeRefused, dustRefused.Error);
        Assert.Contains("dust", dustRefused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reorg_returns_the_transaction_to_the_mempool_and_it_is_mined_again()
    {
        await using Setup s = await StartFundedAsync();
        SignedUtxoTransaction tx = UtxoSpend.Build(Net, await s.SpendableAsync(s.Funded), s.Recipient, 100_000_000, 2, s.Change);
        await s.Backend.BroadcastAsync(tx.Raw, None);
        string[] block = await s.MineAsync(1);
        Assert.Equal(TransactionStage.Included, (await s.Backend.StateAsync(tx.TransactionId, None)).Stage);

        await s.Node.Rpc.CallAsync("invalidateblock", [block[0]], None);
        TransactionState after = await s.Backend.StateAsync(tx.TransactionId, None);

        // Litecoin Core (as Bitcoin Core) puts a disconnected block's transactions back into the mempool; it is not gone.
        Assert.Equal(new TransactionState(TransactionStage.Pending, 0, 0), after);

        // Re-broadcasting the kept raw transaction (what a wallet does when one is gone) is harmless when it is back.
        Assert.Equal(tx.TransactionId, await s.Backend.BroadcastAsync(tx.Raw, None));

        string[] other = await s.MineAsync(1);
        Assert.NotEqual(block[0], other[0]);
        Assert.Equal(new TransactionState(TransactionStage.Included, 102, 1), await s.Backend.StateAsync(tx.TransactionId, None));
    }

    [Fact]
    public async Task Node_down_is_unavailable_and_a_missing_daemon_is_named()
    {
        using var rpc = new UtxoRpcClient(new Uri("http://127.0.0.1:1/"), "u", "p");
        var backend = new UtxoChainBackend(rpc, Net);
        Assert.Equal(WalletError.Unavailable, (await Assert.ThrowsAsync<WalletException>(() => backend.FeesAsync(None))).Error);
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalLitecoinNode.StartAsync("/nonexistent/litecoind"));
        Assert.Contains("setup.sh", missing.Message, StringComparison.Ordinal);
    }
}
