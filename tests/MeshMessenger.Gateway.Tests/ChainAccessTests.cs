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

    [Fact]
    public async Task After_kill_9_past_Accepted_the_restarted_gateway_still_reports_Final_and_a_request_sealed_to_another_node_is_not_run()
    {
        using LocalDevChain chain = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh"));
        using var http = new HttpClient();
        var rpc = new EthereumRpcClient(http, chain.Url);
        await rpc.CallAsync("evm_setAutomine", [false]); // the transfer stays pending until the test mines
        using var folder = new TestFolder("chain-kill-");
        string data = Path.Combine(folder.Path, "gw");
        using var gateway = new GatewayProcess("chain-gw", data, FreePort.Tcp(), "off", "--Gateway:Chains:0:Chain=eip155:31337", $"--Gateway:Chains:0:RpcUrl={chain.Url}", "--Gateway:ChainPollSeconds=0.3");
        gateway.StartDetached();
        ProtocolError read = BackupCode.TryRestore(File.ReadAllText(Path.Combine(data, "gateway.key")).Trim(), out NodeIdentity? gatewayIdentity);
        Assert.Equal(ProtocolError.None, read);
        MessengerNode ada = new(NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)0xC2, 32).ToArray()), "ada", new MemoryEntryStore(), new WallClock(), FrameLimits.Ip, restoring: false);
        NodeIdentity carol = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)0xC3, 32).ToArray());
        ada.AddContact(ContactCard.Create(gatewayIdentity!, "gateway", null));
        ada.AddContact(ContactCard.Create(carol, "carol", null));
        var statuses = new ConcurrentQueue<ChainStatusBody>();
        ada.PaymentEntryReceived += (author, sequence, kind, body) =>
        {
            if (kind == EntryKind.ChainStatus && ChainStatusBody.TryDecode(body, out ChainStatusBody? status) == ProtocolError.None)
            {
                statuses.Enqueue(status!);
            }
        };

        var link = new Uri($"ws://127.0.0.1:{gateway.HttpPort}/api/link");
        var backend = new EvmChainBackend(Anvil, rpc);
        var fees = await backend.FeesAsync(CancellationToken.None);
        Assert.True(EthereumAddress.TryParse("0x0000000000000000000000000000000000000043", out EthereumAddress? to, out _));
        SignedTransaction pay = new Eip1559Transaction(31337, 0, fees.PriorityFeePerGas, EvmTransfer.MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas), EvmTransfer.EtherTransferGas, to, BigInteger.Pow(10, 18), [])
            .Sign(LocalDevChain.Account0Key);
        uint request;
        uint notOurs;
        await using (WebSocketTestNode first = await WebSocketTestNode.ConnectAsync(link, ada))
        {
            await UdpLinkFixture.WaitUntil(() => gateway.Metrics().Contains("meshmsg_gateway_ws_proofs_accepted_total 1", StringComparison.Ordinal), "ada's proof");
            lock (ada)
            {
                notOurs = ada.SendChainRequest(carol.Id, new ChainRequestBody(ChainRequestKind.Fees, Anvil, []));
                request = ada.SendChainRequest(gatewayIdentity!.Id, new ChainRequestBody(ChainRequestKind.Broadcast, Anvil, pay.Raw));
            }

            await first.FlushAsync();
            await UdpLinkFixture.WaitUntil(() => statuses.Any(s => s.RequestSequence == request && s.Kind == ChainStatusKind.Accepted), "Accepted");
        }

        gateway.Kill9();
        for (int i = 0; i < 3; i++)
        {
            await rpc.CallAsync("evm_mine", []); // included, then final ('finalized' is two blocks behind the head)
        }

        gateway.StartDetached();
        await using WebSocketTestNode second = await WebSocketTestNode.ConnectAsync(link, ada);
        await UdpLinkFixture.WaitUntil(() => statuses.Any(s => s.RequestSequence == request && s.Kind == ChainStatusKind.Final), "Final after the restart");
        Assert.Equal(pay.Hash, statuses.First(s => s.Kind == ChainStatusKind.Final).TxId);
        Assert.DoesNotContain(statuses, s => s.RequestSequence == notOurs);
        Assert.Contains((long)notOurs, gateway.Entries()[ada.Id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)]); // stored and relayed all the same
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
