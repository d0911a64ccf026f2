using System.Collections.Concurrent;
using System.Numerics;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Wallet.Evm;
using Microsoft.Extensions.DependencyInjection;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// A whole gateway in this process configured with a real anvil (Gateway:Chains), and a real MessengerNode on its
/// WebSocket link: a sealed ETH transfer comes back as Accepted, Included and Final entries the node opens, and a
/// chain the gateway does not serve is Unavailable.
/// </summary>
public sealed class ChainAccessTests
{
    private static readonly ChainTag Anvil = ChainTag.Evm(31337);

    [Fact]
    public async Task A_sealed_transfer_is_broadcast_and_answered_accepted_included_final_and_an_unserved_chain_is_unavailable()
    {
        using LocalDevChain chain = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh"));
        await using LinkGateway gateway = await LinkGateway.StartAsync("chain-", "--Gateway:Chains:0:Chain=eip155:31337", $"--Gateway:Chains:0:RpcUrl={chain.Url}", "--Gateway:ChainPollSeconds=0.3");
        NodeIdentity gatewayIdentity = gateway.Services.GetRequiredService<NodeIdentity>();
        MessengerNode ada = new(NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)0xC1, 32).ToArray()), "ada", new MemoryEntryStore(), new WallClock(), FrameLimits.Ip, restoring: false);
        ada.AddContact(ContactCard.Create(gatewayIdentity, "gateway", null));
        var statuses = new ConcurrentQueue<ChainStatusBody>();
        ada.PaymentEntryReceived += (author, sequence, kind, body) =>
        {
            Assert.Equal(gatewayIdentity.Id, author);
            if (kind == EntryKind.ChainStatus && ChainStatusBody.TryDecode(body, out ChainStatusBody? status) == ProtocolError.None)
            {
                statuses.Enqueue(status!);
            }
        };

        await using WebSocketTestNode browser = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, ada);
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("ws_proofs_accepted") == 1, "ada's proof", gateway.CountersText);

        using var http = new HttpClient();
        var backend = new EvmChainBackend(Anvil, new EthereumRpcClient(http, chain.Url));
        var rpc = new EthereumRpcClient(http, chain.Url);
        Assert.True(EthereumAddress.TryParse("0x0000000000000000000000000000000000000042", out EthereumAddress? to, out _));
        var fees = await backend.FeesAsync(CancellationToken.None);
        SignedTransaction pay = new Eip1559Transaction(31337, 0, fees.PriorityFeePerGas, EvmTransfer.MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas), EvmTransfer.EtherTransferGas, to, BigInteger.Pow(10, 18), [])
            .Sign(LocalDevChain.Account0Key);
        uint request;
        uint unserved;
        lock (ada)
        {
            request = ada.SendChainRequest(gatewayIdentity.Id, new ChainRequestBody(ChainRequestKind.Broadcast, Anvil, pay.Raw));
            unserved = ada.SendChainRequest(gatewayIdentity.Id, new ChainRequestBody(ChainRequestKind.Fees, ChainTag.Parse("bitcoin")!, []));
        }

        await browser.FlushAsync();
        await UdpLinkFixture.WaitUntil(() => statuses.Any(s => s.RequestSequence == request && s.Kind == ChainStatusKind.Included), "Accepted and Included", gateway.CountersText);
        await rpc.CallAsync("evm_mine", []);
        await rpc.CallAsync("evm_mine", []); // anvil's 'finalized' is two blocks behind the head
        await UdpLinkFixture.WaitUntil(() => statuses.Any(s => s.RequestSequence == request && s.Kind == ChainStatusKind.Final), "Final", gateway.CountersText);

        List<ChainStatusKind> forTransfer = [.. statuses.Where(s => s.RequestSequence == request).Select(s => s.Kind)];
        Assert.Equal([ChainStatusKind.Accepted, ChainStatusKind.Included, ChainStatusKind.Final], forTransfer);
        Assert.All(statuses.Where(s => s.RequestSequence == request), s => Assert.Equal(pay.Hash, s.TxId));
        ChainStatusBody refused = Assert.Single(statuses, s => s.RequestSequence == unserved);
        Assert.Equal((ChainStatusKind.Unavailable, "chain not served: bitcoin"), (refused.Kind, refused.Reason));

        string metrics = await http.GetStringAsync(gateway.BaseUrl + "/metrics");
        Assert.Contains("meshmsg_gateway_chain_rpc_reachable{chain=\"eip155:31337\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("meshmsg_gateway_chain_tracked_transactions 0", metrics, StringComparison.Ordinal);
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
