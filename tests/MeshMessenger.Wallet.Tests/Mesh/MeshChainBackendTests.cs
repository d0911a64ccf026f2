using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Mesh;
using Xunit;

namespace MeshMessenger.Wallet.Tests.Mesh;

/// <summary>
/// MeshChainBackend between real MessengerNodes (MeshHarness): the gateways are protocol nodes whose statuses the
/// test composes with SendChainStatus (the gateway-side relay is not in this tree yet), sealed to the wallet and
/// carried as frames.
/// </summary>
public sealed class MeshChainBackendTests
{
    private static readonly ChainTag Anvil = ChainTag.Evm(31337);
    private static readonly ChainTag Litecoin = ChainTag.Utxo(5);
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] Address = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
    private static readonly byte[] Token = Enumerable.Repeat((byte)0x77, 20).ToArray();
    private static readonly byte[] TxId = Enumerable.Repeat((byte)0xab, 32).ToArray();
    private static readonly byte[] Raw = [0x02, 0xf8, 0x6c, 0x01, 0x02, 0x03];

    [Fact]
    public void Gateways_are_the_known_profiles_that_serve_the_chain()
    {
        using var mesh = new MeshHarness(Anvil, 2);
        Assert.Equal(mesh.Gateways.Select(g => g.Id).Order(), mesh.Link.GatewaysServing(Anvil));
        Assert.Empty(mesh.Link.GatewaysServing(Litecoin));
        Assert.DoesNotContain(mesh.Bystander.Id, mesh.Link.GatewaysServing(Anvil));
    }

    [Fact]
    public async Task Reads_go_to_a_gateway_and_come_back_decoded()
    {
        using var mesh = new MeshHarness(Anvil, 1);
        mesh.Answer(0, (seq, body) => body.Kind switch
        {
            ChainRequestKind.Balance => new ChainStatusBody(seq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeBalance(body.Payload.Length == 40 ? [0x01, 0x00] : [0x05])),
            ChainRequestKind.Nonce => new ChainStatusBody(seq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeNonce(7)),
            ChainRequestKind.Fees => new ChainStatusBody(seq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeEvmFees([0x03, 0xe8], [0x64])),
            ChainRequestKind.Status => ChainStatusBody.Included(seq, TxId, 12, 2),
            ChainRequestKind.Transfer => new ChainStatusBody(seq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeTransfers([new ChainTransfer(Address, Token, [0x2a], 12, false)])),
            _ => null,
        });
        using var backend = new MeshChainBackend(mesh.Link, Anvil, TimeSpan.FromSeconds(10));

        Assert.Equal(new BigInteger(5), await backend.BalanceAsync(Address, null, None));
        Assert.Equal(new BigInteger(256), await backend.BalanceAsync(Address, Token, None));
        Assert.Equal(7UL, await backend.NonceAsync(Address, None));
        Assert.Equal(new ChainFees(1000, 100, 0), await backend.FeesAsync(None));
        Assert.Equal(new TransactionState(TransactionStage.Included, 12, 2), await backend.StateAsync(TxId, None));
        TransferFacts fact = Assert.Single((await backend.TransferAsync(TxId, None))!);
        Assert.Equal(Address, fact.Recipient);
        Assert.Equal(Token, fact.Token);
        Assert.Equal((new BigInteger(42), TransactionStage.Included), (fact.Amount, fact.State.Stage));
        Assert.Equal(mesh.Gateways[0].Id, backend.LastGateway);

        var seen = mesh.RequestsSeen();
        Assert.Equal(
            [ChainRequestKind.Balance, ChainRequestKind.Balance, ChainRequestKind.Nonce, ChainRequestKind.Fees, ChainRequestKind.Status, ChainRequestKind.Transfer],
            seen.Select(r => r.Body.Kind));
        Assert.Equal([.. Address, .. Token], seen[1].Body.Payload);
        Assert.All(seen, r => Assert.Equal(Anvil, r.Body.Chain));
    }

    [Fact]
    public async Task Utxo_reads_decode_outputs_and_fee_rate()
    {
        using var mesh = new MeshHarness(Litecoin, 1);
        mesh.Answer(0, (seq, body) => body.Kind switch
        {
            ChainRequestKind.Utxos => new ChainStatusBody(seq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeUtxos([new ChainUtxo(TxId, 1, 5000, 3)])),
            ChainRequestKind.Fees => new ChainStatusBody(seq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeUtxoFees(2)),
            _ => null,
        });
        using var backend = new MeshChainBackend(mesh.Link, Litecoin, TimeSpan.FromSeconds(10));
        byte[] address = [0x00, .. Address];
        UnspentOutput output = Assert.Single(await backend.UnspentAsync(address, None));
        Assert.Equal(TxId, output.TransactionId);
        Assert.Equal((1u, 5000UL, 3u), (output.OutputIndex, output.Value, output.Confirmations));
        Assert.Equal(2u, (await backend.FeesAsync(None)).SatoshisPerVirtualByte);
    }

    [Fact]
    public async Task Answers_match_their_request_by_sequence_and_gateway()
    {
        using var mesh = new MeshHarness(Anvil, 2);
        var held = new List<uint>();
        mesh.Answer(0, (seq, body) =>
        {
            held.Add(seq); // answered below, in reverse order
            return null;
        });
        using var backend = new MeshChainBackend(mesh.Link, Anvil, TimeSpan.FromSeconds(10), [mesh.Gateways[0].Id]);
        Task<ulong> first = backend.NonceAsync(Address, None);
        Task<ulong> second = backend.NonceAsync(Token, None);
        await WaitFor(() => mesh.RequestsSeen().Count == 2);
        uint firstSeq = mesh.RequestsSeen().Single(r => r.Body.Payload.SequenceEqual(Address)).Sequence;
        uint secondSeq = mesh.RequestsSeen().Single(r => r.Body.Payload.SequenceEqual(Token)).Sequence;

        // The other gateway (not asked) names the same sequence: not taken as the answer.
        mesh.Send(mesh.Gateways[1], new ChainStatusBody(firstSeq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeNonce(666)));
        mesh.Send(mesh.Gateways[0], new ChainStatusBody(secondSeq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeNonce(2)));
        Assert.Equal(2UL, await second);
        Assert.False(first.IsCompleted);
        mesh.Send(mesh.Gateways[0], new ChainStatusBody(firstSeq, ChainStatusKind.Answer, ChainAnswerCodec.EncodeNonce(1)));
        Assert.Equal(1UL, await first);
    }

    [Fact]
    public async Task A_silent_gateway_times_out_and_the_same_signed_bytes_go_to_the_next()
    {
        using var mesh = new MeshHarness(Anvil, 2);
        mesh.Answer(0, (seq, body) => null);
        mesh.Answer(1, (seq, body) => ChainStatusBody.OfTx(seq, ChainStatusKind.Accepted, TxId));
        // Long enough for the answering gateway under a loaded test machine (a 0.5 s wait once ran out there).
        using var backend = new MeshChainBackend(mesh.Link, Anvil, TimeSpan.FromSeconds(3), [mesh.Gateways[0].Id, mesh.Gateways[1].Id]);

        Assert.Equal(TxId, await backend.BroadcastAsync(Raw, None));
        Assert.Equal(mesh.Gateways[1].Id, backend.LastGateway);
        var seen = mesh.RequestsSeen();
        Assert.Equal([mesh.Gateways[0].Id, mesh.Gateways[1].Id], seen.Select(r => r.Gateway));
        Assert.All(seen, r => Assert.Equal(Raw, r.Body.Payload));
        Assert.All(seen, r => Assert.Equal(ChainRequestKind.Broadcast, r.Body.Kind));
    }

    [Fact]
    public async Task An_unavailable_gateway_is_skipped_and_a_refusal_is_not()
    {
        using var mesh = new MeshHarness(Anvil, 2);
        mesh.Answer(0, (seq, body) => ChainStatusBody.OfReason(seq, ChainStatusKind.Unavailable, "rpc down"));
        mesh.Answer(1, (seq, body) => ChainStatusBody.OfReason(seq, ChainStatusKind.Failed, "nonce too low"));
        using var backend = new MeshChainBackend(mesh.Link, Anvil, TimeSpan.FromSeconds(10), [mesh.Gateways[0].Id, mesh.Gateways[1].Id]);

        var refused = await Assert.ThrowsAsync<WalletException>(() => backend.BroadcastAsync(Raw, None));
        Assert.Equal(WalletError.NodeRefused, refused.Error);
        Assert.Contains("nonce too low", refused.Message, StringComparison.Ordinal);
        Assert.Equal([mesh.Gateways[0].Id, mesh.Gateways[1].Id], mesh.RequestsSeen().Select(r => r.Gateway));
    }

    [Fact]
    public async Task No_answer_from_any_gateway_is_Unavailable_naming_them()
    {
        using var mesh = new MeshHarness(Anvil, 2);
        mesh.Answer(0, (seq, body) => null);
        mesh.Answer(1, (seq, body) => ChainStatusBody.OfReason(seq, ChainStatusKind.Unavailable, "rpc down"));
        using var backend = new MeshChainBackend(mesh.Link, Anvil, TimeSpan.FromMilliseconds(300));

        var e = await Assert.ThrowsAsync<WalletException>(() => backend.NonceAsync(Address, None));
        Assert.Equal(WalletError.Unavailable, e.Error);
        Assert.Contains(NodeId.ToText(mesh.Gateways[0].Id), e.Message, StringComparison.Ordinal);
        Assert.Contains(NodeId.ToText(mesh.Gateways[1].Id), e.Message, StringComparison.Ordinal);
        Assert.Contains("rpc down", e.Message, StringComparison.Ordinal);

        using var lonely = new MeshChainBackend(mesh.Link, Litecoin, TimeSpan.FromMilliseconds(300));
        Assert.Equal(WalletError.Unavailable, (await Assert.ThrowsAsync<WalletException>(() => lonely.FeesAsync(None))).Error);
    }

    [Fact]
    public async Task Later_statuses_are_kept_per_transaction_and_can_be_awaited()
    {
        using var mesh = new MeshHarness(Anvil, 1);
        uint sequence = 0;
        mesh.Answer(0, (seq, body) =>
        {
            sequence = seq;
            return ChainStatusBody.OfTx(seq, ChainStatusKind.Accepted, Enumerable.Repeat((byte)body.Payload.Length, 32).ToArray());
        });
        using var backend = new MeshChainBackend(mesh.Link, Anvil, TimeSpan.FromSeconds(10));
        var heard = new List<ChainStatusKind>();
        backend.TransactionStatusReceived += (tx, status) =>
        {
            lock (heard)
            {
                heard.Add(status.Kind);
            }
        };

        byte[] txId = await backend.BroadcastAsync(Raw, None);
        Assert.Null(backend.LatestStatus(txId));
        Task<ChainStatusBody> included = backend.WaitForStageAsync(txId, ChainStatusKind.Included, None);
        Task<ChainStatusBody> final = backend.WaitForStageAsync(txId, ChainStatusKind.Final, None);
        mesh.Send(mesh.Gateways[0], ChainStatusBody.Included(sequence, txId, 9, 1));
        Assert.Equal(9u, (await included).Block);
        Assert.False(final.IsCompleted);
        mesh.Send(mesh.Gateways[0], ChainStatusBody.Final(sequence, txId, 9));
        Assert.Equal(ChainStatusKind.Final, (await final).Kind);
        Assert.Equal(ChainStatusKind.Final, backend.LatestStatus(txId)!.Kind);
        Assert.Equal(ChainStatusKind.Final, (await backend.WaitForStageAsync(txId, ChainStatusKind.Included, None)).Kind);
        await WaitFor(() =>
        {
            lock (heard)
            {
                return heard.Count == 2;
            }
        });
        Assert.Equal([ChainStatusKind.Included, ChainStatusKind.Final], heard);

        // A failure after acceptance ends every wait (its payload is a reason: matched through the request).
        byte[] other = await backend.BroadcastAsync([.. Raw, 0x09], None);
        Assert.NotEqual(txId, other);
        Task<ChainStatusBody> waiting = backend.WaitForStageAsync(other, ChainStatusKind.Final, None);
        mesh.Send(mesh.Gateways[0], ChainStatusBody.OfReason(sequence, ChainStatusKind.Failed, "reverted"));
        Assert.Equal("reverted", (await waiting).Reason);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
