using System;
using System.Collections.Generic;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Relay;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

/// <summary>ChainRelay against a real anvil (EvmChainBackend): broadcasts tracked to Final, reorgs, refusals, limits, restart.</summary>
public sealed class ChainRelayEvmTests
{
    private const uint Requester = 0x0A0B0C0D;
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Broadcast_is_accepted_included_and_final_once_each_and_a_repeated_request_is_not_sent_again()
    {
        using var chain = new EvmDevChain();
        var backend = new CountingBackend(chain.Backend);
        var journal = new MemoryRelayJournal();
        var relay = new ChainRelay([backend], journal);
        Assert.Equal([EvmDevChain.Anvil], relay.ServedChains);
        EvmSignedTransfer pay = await chain.Builder.EtherAsync(chain.Funded, EvmDevChain.Bytes(chain.Empty), Ether, None);
        var request = new ChainRequestBody(ChainRequestKind.Broadcast, EvmDevChain.Anvil, pay.Raw);

        ChainStatusBody accepted = Assert.Single(await relay.HandleAsync(Requester, 7, request, None));
        Assert.Equal((7u, ChainStatusKind.Accepted), (accepted.RequestSequence, accepted.Kind));
        Assert.Equal(pay.Hash, accepted.TxId);
        Assert.Equal(1, relay.TrackedCount);

        JsonNode receipt = await chain.Receipt(pay.Hash);
        uint block = (uint)Convert.ToUInt64(receipt["blockNumber"]!.GetValue<string>(), 16);
        (uint who, ChainStatusBody included) = Assert.Single(await relay.PollAsync(None));
        Assert.Equal((Requester, ChainStatusKind.Included, block, 1u), (who, included.Kind, included.Block, included.Confirmations));
        Assert.Empty(await relay.PollAsync(None)); // once

        await chain.Mine(2); // anvil's 'finalized' is two blocks behind the head
        ChainStatusBody final = Assert.Single(await relay.PollAsync(None)).Status;
        Assert.Equal((ChainStatusKind.Final, block, 7u), (final.Kind, final.Block, final.RequestSequence));
        Assert.Equal(pay.Hash, final.TxId);
        Assert.Equal(0, relay.TrackedCount);
        Assert.Empty(await relay.PollAsync(None));

        // The same entry delivered again (another link, a resync): the first answer, no second broadcast.
        ChainStatusBody again = Assert.Single(await relay.HandleAsync(Requester, 7, request, None));
        Assert.Equal(accepted.Encode(), again.Encode());
        Assert.Equal(1, backend.Broadcasts);
        Assert.Equal(RelayStage.Final, (await journal.FindAsync(Requester, 7, None))!.Stage);
    }

    [Fact]
    public async Task A_reorg_that_drops_the_transaction_re_broadcasts_the_kept_bytes_and_it_is_included_again()
    {
        using var chain = new EvmDevChain();
        var relay = new ChainRelay([chain.Backend], new MemoryRelayJournal());
        EvmSignedTransfer pay = await chain.Builder.EtherAsync(chain.Funded, EvmDevChain.Bytes(chain.Empty), Ether, None);
        Assert.Equal(ChainStatusKind.Accepted, Assert.Single(await relay.HandleAsync(Requester, 1, new ChainRequestBody(ChainRequestKind.Broadcast, EvmDevChain.Anvil, pay.Raw), None)).Kind);
        await chain.Receipt(pay.Hash);
        Assert.Equal(ChainStatusKind.Included, Assert.Single(await relay.PollAsync(None)).Status.Kind);

        await chain.Call("anvil_reorg", 1, new JsonArray()); // the head block replaced by an empty one; anvil forgets the transaction
        ChainStatusBody back = Assert.Single(await relay.PollAsync(None)).Status;
        Assert.Equal(ChainStatusKind.Accepted, back.Kind);
        Assert.Equal(pay.Hash, back.TxId);

        await chain.Receipt(pay.Hash);
        ChainStatusBody again = Assert.Single(await relay.PollAsync(None)).Status;
        Assert.Equal(ChainStatusKind.Included, again.Kind);
        Assert.Equal(Ether, await chain.Backend.BalanceAsync(EvmDevChain.Bytes(chain.Empty), null, None));
    }

    [Fact]
    public async Task A_double_spend_fails_with_the_node_reason_and_an_unserved_chain_or_a_full_quota_is_unavailable()
    {
        using var chain = new EvmDevChain();
        var relay = new ChainRelay([chain.Backend], new MemoryRelayJournal(), new RelayLimits(RequestsPerMinute: 3, TrackedTransactions: 1));
        byte[] wallet = EvmDevChain.Bytes(chain.Empty);
        EvmSignedTransfer first = await chain.Builder.EtherAsync(chain.Funded, wallet, Ether, None);
        EvmSignedTransfer second = await chain.Builder.EtherAsync(chain.Funded, wallet, 2 * Ether, None); // same nonce
        Assert.Equal(ChainStatusKind.Accepted, Assert.Single(await relay.HandleAsync(Requester, 1, new ChainRequestBody(ChainRequestKind.Broadcast, EvmDevChain.Anvil, first.Raw), None)).Kind);
        await chain.Receipt(first.Hash);

        ChainStatusBody full = Assert.Single(await relay.HandleAsync(Requester, 2, new ChainRequestBody(ChainRequestKind.Broadcast, EvmDevChain.Anvil, second.Raw), None));
        Assert.Equal(ChainStatusKind.Unavailable, full.Kind);
        Assert.StartsWith("rate limited: ", full.Reason, StringComparison.Ordinal);

        // Another requester has its own quota: the node's refusal comes back as the reason.
        ChainStatusBody failed = Assert.Single(await relay.HandleAsync(Requester + 1, 1, new ChainRequestBody(ChainRequestKind.Broadcast, EvmDevChain.Anvil, second.Raw), None));
        Assert.Equal(ChainStatusKind.Failed, failed.Kind);
        Assert.Contains("nonce too low", failed.Reason, StringComparison.OrdinalIgnoreCase);

        ChainStatusBody unserved = Assert.Single(await relay.HandleAsync(Requester, 3, new ChainRequestBody(ChainRequestKind.Fees, ChainTag.Parse("litecoin-regtest")!, []), None));
        Assert.Equal(ChainStatusKind.Unavailable, unserved.Kind);
        Assert.Equal("chain not served: litecoin-regtest", unserved.Reason);

        Assert.Equal(ChainStatusKind.Answer, Assert.Single(await relay.HandleAsync(Requester, 4, new ChainRequestBody(ChainRequestKind.Fees, EvmDevChain.Anvil, []), None)).Kind);
        ChainStatusBody limited = Assert.Single(await relay.HandleAsync(Requester, 5, new ChainRequestBody(ChainRequestKind.Fees, EvmDevChain.Anvil, []), None));
        Assert.Equal(ChainStatusKind.Unavailable, limited.Kind);
        Assert.Equal("rate limited: more than 3 requests a minute", limited.Reason);
    }

    [Fact]
    public async Task Reads_answer_balance_nonce_fees_status_and_transfer_and_a_closed_port_is_unavailable()
    {
        using var chain = new EvmDevChain();
        var relay = new ChainRelay([chain.Backend], new MemoryRelayJournal());
        byte[] wallet = EvmDevChain.Bytes(chain.Empty);
        EvmSignedTransfer pay = await chain.Builder.EtherAsync(chain.Funded, wallet, Ether, None);
        await chain.Backend.BroadcastAsync(pay.Raw, None);
        await chain.Receipt(pay.Hash);
        uint sequence = 10;

        async Task<ChainStatusBody> Ask(ChainRequestKind kind, byte[] payload) =>
            Assert.Single(await relay.HandleAsync(Requester, sequence++, new ChainRequestBody(kind, EvmDevChain.Anvil, payload), None));

        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeBalance((await Ask(ChainRequestKind.Balance, wallet)).Payload, out byte[]? balance));
        Assert.Equal(Ether, new BigInteger(balance, isUnsigned: true, isBigEndian: true));
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeNonce((await Ask(ChainRequestKind.Nonce, EvmDevChain.Bytes(chain.Funded))).Payload, out ulong nonce));
        Assert.Equal(1UL, nonce);
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeEvmFees((await Ask(ChainRequestKind.Fees, [])).Payload, out byte[]? baseFee, out _));
        Assert.NotEmpty(baseFee!);
        Assert.Equal(ChainStatusKind.Included, (await Ask(ChainRequestKind.Status, pay.Hash)).Kind);
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeTransfer((await Ask(ChainRequestKind.Transfer, pay.Hash)).Payload, out ChainTransfer? transfer));
        Assert.Equal(wallet, transfer!.To);
        Assert.Equal(Ether.ToByteArray(isUnsigned: true, isBigEndian: true), transfer.Amount);
        ChainStatusBody unknown = await Ask(ChainRequestKind.Transfer, new byte[32]);
        Assert.Equal((ChainStatusKind.Failed, "unknown transaction"), (unknown.Kind, unknown.Reason));

        using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var closed = new ChainRelay([new EvmChainBackend(EvmDevChain.Anvil, new Anchoring.Rpc.EthereumRpcClient(http, new Uri("http://127.0.0.1:9/")))], new MemoryRelayJournal());
        ChainStatusBody down = Assert.Single(await closed.HandleAsync(Requester, 1, new ChainRequestBody(ChainRequestKind.Broadcast, EvmDevChain.Anvil, pay.Raw), None));
        Assert.Equal(ChainStatusKind.Unavailable, down.Kind);
        Assert.Equal(0, closed.TrackedCount);
    }

    [Fact]
    public async Task A_restarted_relay_resumes_from_its_journal_and_re_sends_a_broadcast_cut_short()
    {
        using var chain = new EvmDevChain();
        var journal = new MemoryRelayJournal();
        var first = new ChainRelay([chain.Backend], journal);
        byte[] wallet = EvmDevChain.Bytes(chain.Empty);
        EvmSignedTransfer pay = await chain.Builder.EtherAsync(chain.Funded, wallet, Ether, None);
        Assert.Equal(ChainStatusKind.Accepted, Assert.Single(await first.HandleAsync(Requester, 1, new ChainRequestBody(ChainRequestKind.Broadcast, EvmDevChain.Anvil, pay.Raw), None)).Kind);

        // A second transaction whose row was saved but the process died before the node saw it.
        SignedTransaction cut = (pay.Transaction with { Nonce = pay.Transaction.Nonce + 1 }).Sign(chain.Funded.ExportPrivateKey());
        await journal.SaveAsync(new RelayRecord(Requester, 2, EvmDevChain.Anvil, ChainRequestKind.Broadcast, cut.Raw, cut.Hash, RelayStage.Broadcasting, 0, []), None);

        var second = new ChainRelay([chain.Backend], journal);
        await second.ResumeAsync(None);
        Assert.Equal(2, second.TrackedCount);
        await chain.Receipt(pay.Hash);
        var seen = new List<(uint, ChainStatusKind)>();
        for (int i = 0; i < 50 && second.TrackedCount > 0; i++)
        {
            foreach ((uint _, ChainStatusBody status) in await second.PollAsync(None))
            {
                seen.Add((status.RequestSequence, status.Kind));
            }

            await chain.Mine();
        }

        Assert.Equal([(1u, ChainStatusKind.Included), (2u, ChainStatusKind.Accepted)], seen.GetRange(0, 2));
        Assert.Contains((1u, ChainStatusKind.Final), seen);
        Assert.Contains((2u, ChainStatusKind.Final), seen);
        Assert.Equal(ChainStatusKind.Accepted, Assert.Single((await journal.FindAsync(Requester, 2, None))!.Answers).Kind);
    }
}
