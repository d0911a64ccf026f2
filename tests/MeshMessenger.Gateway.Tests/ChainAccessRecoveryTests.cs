using System.Collections.Concurrent;
using System.Net;
using System.Numerics;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Gateway.ChainAccess;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Relay;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// The gateway's chain access under load, restarts and crashes, against a real anvil: its own node keeps only profiles,
/// its own chain and what is sealed to it; a request stored while the service was off is run at the next start; a
/// status the journal reached but the store did not is sent at the next start; statuses are sealed to the requester
/// alone; requests over the UDP link are answered.
/// </summary>
public sealed class ChainAccessRecoveryTests
{
    private static readonly ChainTag Anvil = ChainTag.Evm(31337);

    [Fact]
    public async Task The_gateways_node_holds_only_profiles_its_own_chain_and_entries_sealed_to_it_and_opens_a_request_after_holes()
    {
        using LocalDevChain chain = StartAnvil();
        await using LinkGateway gateway = await LinkGateway.StartAsync("chain-mem-", "--Gateway:RateLimitPerMinute=0", "--Gateway:Chains:0:Chain=eip155:31337", $"--Gateway:Chains:0:RpcUrl={chain.Url}", "--Gateway:ChainPollSeconds=0.3");
        ChainAccessService service = gateway.Services.GetRequiredService<ChainAccessService>();
        NodeIdentity gw = gateway.Services.GetRequiredService<NodeIdentity>();
        GatewayDatabase db = gateway.Services.GetRequiredService<GatewayDatabase>();
        var ada = new TestDevice("ada");
        var bob = new TestDevice("bob");
        var carol = new TestDevice("carol");
        bob.Befriend(carol);
        ada.Befriend(carol);
        ada.Node.AddContact(ContactCard.Create(gw, "gateway", null));

        var frames = new List<byte[]>(EntryFrames(carol.Take()));
        for (int i = 0; i < 40; i++)
        {
            bob.Node.SendText(carol.Id, "unrelated " + i);
            bob.Node.PostPublic("post " + i);
        }

        frames.AddRange(EntryFrames(bob.Take()));
        for (int i = 0; i < 5; i++)
        {
            ada.Node.SendText(carol.Id, "never seen by the gateway " + i);
        }

        // The gateway hears Ada's profile, then her request: her texts to Carol are holes in her chain.
        frames.AddRange(EntryFrames(ada.Take()).Where(f => SequenceOf(f) == 0));
        uint request = ada.Node.SendChainRequest(gw.Id, new ChainRequestBody(ChainRequestKind.Fees, Anvil, []));
        Assert.Equal(6u, request);
        frames.AddRange(EntryFrames(ada.Take()));
        await gateway.StoreFromElsewhere(frames);

        await UdpLinkFixture.WaitUntil(() => Count(db, $"author = {gw.Id} AND kind = {(int)EntryKind.ChainStatus}") == 1, "the answer to Ada", gateway.CountersText);
        var answers = new List<ChainStatusBody>();
        ada.Node.PaymentEntryReceived += (author, sequence, kind, body) =>
        {
            if (kind == EntryKind.ChainStatus && ChainStatusBody.TryDecode(body, out ChainStatusBody? status) == ProtocolError.None)
            {
                answers.Add(status!);
            }
        };
        foreach (byte[] entry in GatewayEntries(db, gw.Id))
        {
            byte[] frame = EntryFrame(entry);
            ada.Node.Receive(frame, 0, frame.Length);
        }

        ChainStatusBody answer = Assert.Single(answers);
        Assert.Equal((request, ChainStatusKind.Answer), (answer.RequestSequence, answer.Kind));

        long needed = Count(db, $"author = {gw.Id} OR kind = {(int)EntryKind.Profile} OR (direct = 1 AND hint = {NodeId.HintOf(gw.Id)})");
        Assert.Equal(needed, service.NodeEntryCount);
        Assert.True(Count(db, "1 = 1") >= needed + 80, "Bob's 80 entries are stored, not held by the gateway's node");
    }

    [Fact]
    public async Task A_request_stored_while_chain_access_was_off_is_answered_after_the_restart()
    {
        using LocalDevChain chain = StartAnvil();
        using var folder = new TestFolder("chain-missed-");
        string data = Path.Combine(folder.Path, "gw");
        using var off = new GatewayProcess("chain-off", data, FreePort.Tcp(), "off");
        off.StartDetached();
        NodeIdentity gw = GatewayIdentity(data);
        (MessengerNode ada, ConcurrentQueue<ChainStatusBody> statuses) = Requester(0xC4, gw);
        uint request = await StoreRequestAsync(off, ada, new ChainRequestBody(ChainRequestKind.Fees, Anvil, []));
        off.Kill9();

        using var on = new GatewayProcess("chain-on", data, FreePort.Tcp(), "off", "--Gateway:Chains:0:Chain=eip155:31337", $"--Gateway:Chains:0:RpcUrl={chain.Url}", "--Gateway:ChainPollSeconds=0.3");
        on.StartDetached();
        await using WebSocketTestNode second = await WebSocketTestNode.ConnectAsync(Link(on), ada);
        await UdpLinkFixture.WaitUntil(() => statuses.Any(s => s.RequestSequence == request && s.Kind == ChainStatusKind.Answer), "the answer after the restart");
    }

    [Fact]
    public async Task An_Accepted_the_journal_saved_but_the_store_did_not_is_sent_after_the_restart()
    {
        using LocalDevChain chain = StartAnvil();
        using var http = new HttpClient();
        var rpc = new EthereumRpcClient(http, chain.Url);
        using var folder = new TestFolder("chain-gap-");
        string data = Path.Combine(folder.Path, "gw");
        using var first = new GatewayProcess("chain-first", data, FreePort.Tcp(), "off");
        first.StartDetached();
        NodeIdentity gw = GatewayIdentity(data);
        (MessengerNode ada, ConcurrentQueue<ChainStatusBody> statuses) = Requester(0xC5, gw);
        var fees = await new EvmChainBackend(Anvil, rpc).FeesAsync(CancellationToken.None);
        Assert.True(EthereumAddress.TryParse("0x0000000000000000000000000000000000000044", out EthereumAddress? to, out _));
        SignedTransaction pay = new Eip1559Transaction(31337, 0, fees.PriorityFeePerGas, EvmTransfer.MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas), EvmTransfer.EtherTransferGas, to, BigInteger.Pow(10, 18), [])
            .Sign(LocalDevChain.Account0Key);
        uint request = await StoreRequestAsync(first, ada, new ChainRequestBody(ChainRequestKind.Broadcast, Anvil, pay.Raw));
        first.Kill9();

        // What the relay had saved when the process died: Accepted, before the status entry was stored.
        var journal = new SqliteRelayJournal(new GatewayDatabase(Path.Combine(data, "gateway.db")));
        await journal.SaveAsync(new RelayRecord(ada.Id, request, Anvil, ChainRequestKind.Broadcast, pay.Raw, pay.Hash, RelayStage.Accepted, 0, [ChainStatusBody.OfTx(request, ChainStatusKind.Accepted, pay.Hash)]), CancellationToken.None);

        using var restarted = new GatewayProcess("chain-restarted", data, FreePort.Tcp(), "off", "--Gateway:Chains:0:Chain=eip155:31337", $"--Gateway:Chains:0:RpcUrl={chain.Url}", "--Gateway:ChainPollSeconds=0.3");
        restarted.StartDetached();
        await using WebSocketTestNode second = await WebSocketTestNode.ConnectAsync(Link(restarted), ada);
        await UdpLinkFixture.WaitUntil(() => statuses.Any(s => s.RequestSequence == request && s.Kind == ChainStatusKind.Included), "Included (the journal's copy was re-broadcast and mined)");
        Assert.Equal(ChainStatusKind.Accepted, statuses.First(s => s.RequestSequence == request).Kind);
        Assert.Equal(pay.Hash, statuses.First(s => s.RequestSequence == request).TxId);
        Assert.Empty(journal.LoadUnsent());
    }

    [Fact]
    public async Task A_request_over_UDP_is_answered_and_a_third_node_with_the_requesters_hint_cannot_open_the_statuses()
    {
        using LocalDevChain chain = StartAnvil();
        await using LinkGateway gateway = await LinkGateway.StartAsync("chain-udp-", "--Gateway:Chains:0:Chain=eip155:31337", $"--Gateway:Chains:0:RpcUrl={chain.Url}", "--Gateway:ChainPollSeconds=0.3", "--Gateway:Udp:AnyPort=true", "--Gateway:Udp:Bind=127.0.0.1");
        int udp = gateway.Services.GetRequiredService<Links.UdpLink>().BoundPort;
        NodeIdentity gw = gateway.Services.GetRequiredService<NodeIdentity>();
        GatewayDatabase db = gateway.Services.GetRequiredService<GatewayDatabase>();
        var ada = new TestDevice("ada");
        ada.Node.AddContact(ContactCard.Create(gw, "gateway", null));
        var statuses = new ConcurrentQueue<ChainStatusBody>();
        ada.Node.PaymentEntryReceived += (author, sequence, kind, body) =>
        {
            if (kind == EntryKind.ChainStatus && ChainStatusBody.TryDecode(body, out ChainStatusBody? status) == ProtocolError.None)
            {
                statuses.Enqueue(status!);
            }
        };

        using var device = new UdpTestDevice(ada, new IPEndPoint(IPAddress.Loopback, udp));
        uint fees;
        uint nonce;
        lock (ada)
        {
            fees = ada.Node.SendChainRequest(gw.Id, new ChainRequestBody(ChainRequestKind.Fees, Anvil, []));
            nonce = ada.Node.SendChainRequest(gw.Id, new ChainRequestBody(ChainRequestKind.Nonce, Anvil, new byte[20]));
        }

        device.Flush();
        await UdpLinkFixture.WaitUntil(() => statuses.Count(s => s.Kind == ChainStatusKind.Answer && (s.RequestSequence == fees || s.RequestSequence == nonce)) == 2, "both answers over UDP", gateway.CountersText);
        Assert.Equal(0ul, ChainAnswerCodec.TryDecodeNonce(statuses.Single(s => s.RequestSequence == nonce).Payload, out ulong n) == ProtocolError.None ? n : ulong.MaxValue);

        // Carol shares Ada's one-byte hint, so she tries to open every status: none opens.
        NodeIdentity carolIdentity = SameHint(ada.Id);
        var carol = new MessengerNode(carolIdentity, "carol", new MemoryEntryStore(), new WallClock(), FrameLimits.Ip, restoring: false);
        carol.AddContact(ContactCard.Create(gw, "gateway", null));
        int opened = 0;
        carol.PaymentEntryReceived += (_, _, _, _) => opened++;
        foreach (byte[] entry in GatewayEntries(db, gw.Id))
        {
            byte[] frame = EntryFrame(entry);
            carol.Receive(frame, 0, frame.Length);
        }

        long sealedToAda = Count(db, $"author = {gw.Id} AND kind = {(int)EntryKind.ChainStatus}");
        Assert.Equal(2, sealedToAda);
        Assert.Equal(0, opened);
        Assert.Equal(sealedToAda, carol.Counters.OpenFailures);
    }

    private static LocalDevChain StartAnvil() => LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh"));

    private static Uri Link(GatewayProcess gateway) => new($"ws://127.0.0.1:{gateway.HttpPort}/api/link");

    private static NodeIdentity GatewayIdentity(string data)
    {
        Assert.Equal(ProtocolError.None, BackupCode.TryRestore(File.ReadAllText(Path.Combine(data, "gateway.key")).Trim(), out NodeIdentity? identity));
        return identity!;
    }

    private static (MessengerNode Node, ConcurrentQueue<ChainStatusBody> Statuses) Requester(byte seed, NodeIdentity gateway)
    {
        var node = new MessengerNode(NodeIdentity.FromRootSecret(Enumerable.Repeat(seed, 32).ToArray()), "ada", new MemoryEntryStore(), new WallClock(), FrameLimits.Ip, restoring: false);
        node.AddContact(ContactCard.Create(gateway, "gateway", null));
        var statuses = new ConcurrentQueue<ChainStatusBody>();
        node.PaymentEntryReceived += (author, sequence, kind, body) =>
        {
            if (kind == EntryKind.ChainStatus && ChainStatusBody.TryDecode(body, out ChainStatusBody? status) == ProtocolError.None)
            {
                statuses.Enqueue(status!);
            }
        };
        return (node, statuses);
    }

    // Sends the request over the WebSocket link and waits until the gateway has stored it.
    private static async Task<uint> StoreRequestAsync(GatewayProcess gateway, MessengerNode ada, ChainRequestBody body)
    {
        await using WebSocketTestNode link = await WebSocketTestNode.ConnectAsync(Link(gateway), ada);
        await UdpLinkFixture.WaitUntil(() => gateway.Metrics().Contains("meshmsg_gateway_ws_proofs_accepted_total 1", StringComparison.Ordinal), "ada's proof");
        uint request;
        lock (ada)
        {
            request = ada.SendChainRequest(GatewayIdOf(gateway), body);
        }

        await link.FlushAsync();
        string author = ada.Id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        await UdpLinkFixture.WaitUntil(() => gateway.Entries().TryGetValue(author, out List<long>? held) && held.Contains(request), "the request to be stored");
        return request;
    }

    private static uint GatewayIdOf(GatewayProcess gateway) => GatewayIdentity(gateway.DataDirectory).Id;

    private static NodeIdentity SameHint(uint other)
    {
        for (int i = 1; ; i++)
        {
            var root = new byte[32];
            BitConverter.GetBytes(i).CopyTo(root, 0);
            root[31] = 0xCA;
            NodeIdentity candidate = NodeIdentity.FromRootSecret(root);
            if (candidate.Id != other && NodeId.HintOf(candidate.Id) == NodeId.HintOf(other))
            {
                return candidate;
            }
        }
    }

    private static long Count(GatewayDatabase db, string where)
    {
        using SqliteConnection c = db.Open();
        return GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries WHERE " + where + ";");
    }

    private static List<byte[]> GatewayEntries(GatewayDatabase db, uint gateway)
    {
        using SqliteConnection c = db.Open();
        using SqliteCommand select = c.CreateCommand();
        select.CommandText = "SELECT bytes FROM entries WHERE author = $a ORDER BY seq;";
        select.Parameters.AddWithValue("$a", (long)gateway);
        using SqliteDataReader reader = select.ExecuteReader();
        var entries = new List<byte[]>();
        while (reader.Read())
        {
            entries.Add((byte[])reader[0]);
        }

        return entries;
    }

    private static byte[] EntryFrame(byte[] entry) => FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0, entry), FrameLimits.Ip);

    private static IEnumerable<byte[]> EntryFrames(byte[][] frames) => frames.Where(f =>
        FrameCodec.TryDecode(f, 0, f.Length, FrameLimits.Ip, out Frame? frame) == ProtocolError.None && frame!.Type == FrameType.Entry);

    private static uint SequenceOf(byte[] frame)
    {
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f));
        Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(f!.Payload, 0, f.Payload.Length, out Entry? e));
        return e!.Sequence;
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
