using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Relay;
using MeshMessenger.Wallet.Utxo;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

/// <summary>ChainRelay against a real Litecoin Core regtest node (UtxoChainBackend).</summary>
public sealed class ChainRelayLitecoinTests
{
    private const UtxoNetwork Net = UtxoNetwork.LitecoinRegtest;
    private const uint Requester = 0x01020304;
    private static readonly ChainTag Tag = ChainTag.Parse("litecoin-regtest")!;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Broadcast_is_accepted_included_final_after_six_blocks_and_a_reorg_returns_it_to_accepted_then_included_again()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        (UtxoChainBackend backend, HdAccounts accounts) = await FundAsync(node);
        var relay = new ChainRelay([backend], new MemoryRelayJournal());
        SignedUtxoTransaction tx = await PayAsync(backend, accounts, 100_000_000, replaceable: true);
        Assert.Equal(tx.TransactionId, ChainRelay.TransactionId(Tag, tx.Raw));

        ChainStatusBody accepted = Assert.Single(await relay.HandleAsync(Requester, 3, new ChainRequestBody(ChainRequestKind.Broadcast, Tag, tx.Raw), None));
        Assert.Equal(ChainStatusKind.Accepted, accepted.Kind);
        Assert.Equal(tx.TransactionId, accepted.TxId);
        Assert.Empty(await relay.PollAsync(None)); // pending: nothing new

        string[] block = await MineAsync(node, 1);
        ChainStatusBody included = Assert.Single(await relay.PollAsync(None)).Status;
        Assert.Equal((ChainStatusKind.Included, 102u, 1u), (included.Kind, included.Block, included.Confirmations));

        // The block leaves the best chain; Litecoin Core returns the transaction to its mempool.
        await node.Rpc.CallAsync("invalidateblock", [block[0]], None);
        Assert.Equal(ChainStatusKind.Accepted, Assert.Single(await relay.PollAsync(None)).Status.Kind);
        await MineAsync(node, 1);
        ChainStatusBody again = Assert.Single(await relay.PollAsync(None)).Status;
        Assert.Equal((ChainStatusKind.Included, 102u), (again.Kind, again.Block));

        await MineAsync(node, 4);
        Assert.Empty(await relay.PollAsync(None)); // 5 confirmations: still Included, not reported again
        await MineAsync(node, 1);
        ChainStatusBody final = Assert.Single(await relay.PollAsync(None)).Status;
        Assert.Equal((ChainStatusKind.Final, 102u), (final.Kind, final.Block));
        Assert.Equal(tx.TransactionId, final.TxId);
        Assert.Equal(0, relay.TrackedCount);
    }

    [Fact]
    public async Task A_double_spend_fails_with_the_node_reason_garbage_is_no_transaction_and_reads_are_answered()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        (UtxoChainBackend backend, HdAccounts accounts) = await FundAsync(node);
        var relay = new ChainRelay([backend], new MemoryRelayJournal());
        SignedUtxoTransaction first = await PayAsync(backend, accounts, 1_000_000, replaceable: false);
        SignedUtxoTransaction conflict = await PayAsync(backend, accounts, 2_000_000, replaceable: false);
        Assert.Equal(ChainStatusKind.Accepted, Assert.Single(await relay.HandleAsync(Requester, 1, new ChainRequestBody(ChainRequestKind.Broadcast, Tag, first.Raw), None)).Kind);

        ChainStatusBody failed = Assert.Single(await relay.HandleAsync(Requester, 2, new ChainRequestBody(ChainRequestKind.Broadcast, Tag, conflict.Raw), None));
        Assert.Equal(ChainStatusKind.Failed, failed.Kind);
        Assert.Contains("txn-mempool-conflict", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, relay.TrackedCount);

        ChainStatusBody garbage = Assert.Single(await relay.HandleAsync(Requester, 3, new ChainRequestBody(ChainRequestKind.Broadcast, Tag, [1, 2, 3]), None));
        Assert.Equal((ChainStatusKind.Failed, "not a transaction"), (garbage.Kind, garbage.Reason));

        byte[] recipient = Recipient(accounts).Bytes;
        ChainStatusBody utxos = Assert.Single(await relay.HandleAsync(Requester, 4, new ChainRequestBody(ChainRequestKind.Utxos, Tag, recipient), None));
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeUtxos(utxos.Payload, out ChainUtxo[]? outputs));
        ChainUtxo output = Assert.Single(outputs!);
        Assert.Equal(first.TransactionId, output.TxId);
        Assert.Equal((1_000_000UL, 0u), (output.Value, output.Confirmations));
        ChainStatusBody fees = Assert.Single(await relay.HandleAsync(Requester, 5, new ChainRequestBody(ChainRequestKind.Fees, Tag, []), None));
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeUtxoFees(fees.Payload, out uint rate));
        Assert.Equal(1u, rate);
        IReadOnlyList<ChainStatusBody> paid = await relay.HandleAsync(Requester, 6, new ChainRequestBody(ChainRequestKind.Transfer, Tag, first.TransactionId), None);
        Assert.Equal(2, paid.Count); // recipient and change
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeTransfer(paid[0].Payload, out ChainTransfer? transfer));
        Assert.Equal(recipient, transfer!.To);
        Assert.Equal((0u, false), (transfer.Block, transfer.Final));
        ChainStatusBody nonce = Assert.Single(await relay.HandleAsync(Requester, 7, new ChainRequestBody(ChainRequestKind.Status, Tag, first.TransactionId), None));
        Assert.Equal(ChainStatusKind.Accepted, nonce.Kind);
    }

    private static async Task<(UtxoChainBackend, HdAccounts)> FundAsync(LocalLitecoinNode node)
    {
        HdAccounts accounts = UtxoSpendTests.Accounts();
        await node.MineAsync(1, accounts.SegwitAccount(Net, 0, 0, 0).Address);
        await MineAsync(node, 100); // COINBASE_MATURITY
        return (new UtxoChainBackend(node.Rpc, Net), accounts);
    }

    private static Task<string[]> MineAsync(LocalLitecoinNode node, int blocks) =>
        node.MineAsync(blocks, UtxoAddressText.Encode(Net, new NBitcoin.Key().PubKey.WitHash.ToBytes()));

    private static UtxoAddress Recipient(HdAccounts accounts) => UtxoAddressText.Parse(accounts.SegwitAccount(Net, 1, 0, 0).Address, Net);

    private static async Task<SignedUtxoTransaction> PayAsync(UtxoChainBackend backend, HdAccounts accounts, ulong amount, bool replaceable)
    {
        SegwitAccount funded = accounts.SegwitAccount(Net, 0, 0, 0);
        List<SpendableOutput> coins = (await backend.UnspentAsync(UtxoAddressText.Parse(funded.Address).Bytes, None)).Select(o => new SpendableOutput(o, funded)).ToList();
        return UtxoSpend.Build(Net, coins, Recipient(accounts), amount, 2, accounts.SegwitAccount(Net, 0, 1, 0), replaceable: replaceable);
    }
}
