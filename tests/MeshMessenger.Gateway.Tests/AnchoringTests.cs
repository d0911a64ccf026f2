using System.Text.Json;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Proofs;
using MeshMessenger.Anchoring.Tests;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The gateway anchoring its devices' chain heads on a local chain (anvil), including a SIGKILL between storing and sending the anchor.</summary>
public sealed class AnchoringTests : IDisposable
{
    private static readonly byte[] AnchorKey = Convert.FromHexString("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"); // anvil account #1
    private readonly TestFolder _folder = new("gw-anchor-");
    private readonly AnvilNode _anvil = new();

    public void Dispose()
    {
        _anvil.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Emulated_devices_heads_are_anchored_and_the_gateway_serves_a_proof_that_checks_out_on_the_node()
    {
        using GatewayProcess gateway = Gateway("anchors", crashAt: null, "--emulate", "4", "--Gateway:Emulate:MessagesPerMinute=300").Start();
        string author = (await WaitFor(() => gateway.Entries().Keys.FirstOrDefault(), "an emulated author"))!;
        ProofBundle bundle = (await WaitFor(async () =>
        {
            await _anvil.Mine(2); // the chain moves on, so 'finalized' passes the anchor
            using var http = new HttpClient();
            HttpResponseMessage response = await http.GetAsync($"http://127.0.0.1:{gateway.HttpPort}/api/proofs/{author}/0");
            return response.IsSuccessStatusCode ? ProofBundle.FromJson(await response.Content.ReadAsStringAsync()) : null;
        }, "a proof for the author's genesis"))!;

        await _anvil.Mine(3);
        var checks = await ProofVerifier.VerifyAsync(bundle, _anvil.Rpc);
        Assert.All(checks, c => Assert.True(c.Passed, c.Statement));
        Assert.Equal(author, bundle.Leaf[..8]); // the leaf is that author's checkpoint

        // The independent check a person runs: meshmsg verify AUTHOR:SEQ, fetched from the gateway, saved, checked on the node.
        string saved = Path.Combine(_folder.Path, "proof.json");
        var console = new Spectre.Console.Testing.TestConsole();
        console.Profile.Width = 400;
        Assert.Equal(0, await Cli.Commands.VerifyCommand.RunAsync($"{author}:0", $"http://127.0.0.1:{_anvil.Port}", console, $"http://127.0.0.1:{gateway.HttpPort}", new FileInfo(saved)));
        Assert.Contains("existed unaltered", console.Output);
        Assert.NotNull(ProofBundle.FromJson(File.ReadAllText(saved)));

        // The web app's explanation claims the message existed only while every check passes: with the chain node
        // gone the checks fail, and the words say the proof does not hold instead.
        using var web = new HttpClient();
        using (JsonDocument holding = JsonDocument.Parse(await web.GetStringAsync($"http://127.0.0.1:{gateway.HttpPort}/api/devices/{author}/proofs/0")))
        {
            Assert.True(holding.RootElement.GetProperty("holds").GetBoolean());
            Assert.Contains("existed, exactly as it is now", holding.RootElement.GetProperty("words").GetString());
        }

        _anvil.Dispose();
        using JsonDocument broken = JsonDocument.Parse(await web.GetStringAsync($"http://127.0.0.1:{gateway.HttpPort}/api/devices/{author}/proofs/0"));
        Assert.False(broken.RootElement.GetProperty("holds").GetBoolean());
        string words = broken.RootElement.GetProperty("words").GetString()!;
        Assert.DoesNotContain("existed, exactly as it is now", words);
        Assert.DoesNotContain("no later than block", words);
        Assert.Contains("does not hold", words);
    }

    [Fact]
    public async Task A_device_on_the_UDP_link_receives_and_checks_the_proof_that_its_chain_is_anchored()
    {
        using GatewayProcess gateway = Gateway("notify", crashAt: null).Start();
        var device = new TestDevice("field-station");
        device.Node.PostPublic("the well at the crossroads is dry");
        using var socket = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var gatewayEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, gateway.UdpPort);
        foreach (byte[] frame in device.Take())
        {
            await socket.SendAsync(frame, gatewayEndpoint);
        }

        using var stop = new CancellationTokenSource();
        Task receiving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var datagram = await socket.ReceiveAsync(stop.Token);
                byte[][] answers;
                lock (device)
                {
                    device.Node.Receive(datagram.Buffer, 0, datagram.Buffer.Length);
                    answers = device.Take(); // a proof for the gateway's challenge: only proven neighbours get notices
                }

                foreach (byte[] answer in answers)
                {
                    await socket.SendAsync(answer, gatewayEndpoint, stop.Token);
                }
            }
        });

        Protocol.Anchors.AnchorNotice notice = (await WaitFor(async () =>
        {
            await _anvil.Mine(2);
            lock (device)
            {
                // A batch may close between the two datagrams and anchor the genesis alone; the head's notice follows.
                return device.Node.LatestAnchor is { Sequence: >= 1 } latest ? latest : null;
            }
        }, "the anchor notice for the head to reach the device"))!;
        stop.Cancel();
        Assert.Equal(device.Id, notice.Author);
        Assert.Equal(1u, notice.Sequence); // the head: it covers the genesis too
        AssertAnchoredOnChain(notice);
    }

    [Fact]
    public async Task The_gateway_publishes_its_anchoring_address_in_health_the_api_and_its_signed_profile_and_its_anchors_are_sent_from_it()
    {
        using GatewayProcess gateway = Gateway("address", crashAt: null, "--emulate", "2").Start();
        string expected = EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(AnchorKey)).ToString();
        string? inHealth = await WaitFor(() => gateway.Health() is { } h && h.GetProperty("anchoring").ValueKind == JsonValueKind.Object ? h.GetProperty("anchoring").GetProperty("address").GetString() : null, "the anchoring section of /health");
        Assert.Equal(expected, inHealth);
        using var http = new HttpClient();
        JsonElement api = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{gateway.HttpPort}/api/anchoring")).RootElement;
        Assert.Equal(expected, api.GetProperty("address").GetString());
        Assert.Equal(31337, api.GetProperty("chainId").GetInt64());

        // The gateway's own chain holds a profile, signed with its identity key, whose address on chain 31337 is that account.
        uint node = uint.Parse(gateway.Health()!.Value.GetProperty("node").GetString()!.TrimStart('!'), System.Globalization.NumberStyles.HexNumber);
        Protocol.Identity.Profile profile = (await WaitFor(() => SignedProfile(gateway, node), "the gateway's signed profile"))!;
        Protocol.Payments.ChainAddress address = Assert.Single(profile.Addresses);
        Assert.Equal(Protocol.Payments.ChainTag.Evm(31337), address.Chain);
        Assert.Equal(expected, EthereumAddress.TryParse("0x" + Convert.ToHexStringLower(address.Address), out EthereumAddress? published, out _) ? published!.ToString() : null);

        // A proof from this gateway checks out with the sender required to be the published address, and not with another.
        string author = (await WaitFor(() => gateway.Entries().Keys.FirstOrDefault(k => k != node.ToString("x8")), "an emulated author"))!;
        ProofBundle bundle = (await WaitFor(async () =>
        {
            await _anvil.Mine(2);
            HttpResponseMessage response = await http.GetAsync($"http://127.0.0.1:{gateway.HttpPort}/api/proofs/{author}/0");
            return response.IsSuccessStatusCode ? ProofBundle.FromJson(await response.Content.ReadAsStringAsync()) : null;
        }, "a proof for an emulated author"))!;
        await _anvil.Mine(3);
        var checks = await ProofVerifier.VerifyAsync(bundle, _anvil.Rpc, published);
        Assert.All(checks, c => Assert.True(c.Passed, c.Statement));
        var other = EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(AnvilNode.Account0Key));
        Assert.Contains(await ProofVerifier.VerifyAsync(bundle, _anvil.Rpc, other), c => !c.Passed && c.Statement.Contains($"not by the gateway's anchoring address {other}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("signed")] // SIGKILL after signing, before the transaction is stored
    [InlineData("stored")] // after storing, before sending
    [InlineData("sent")]   // after sending, before the receipt is looked up and stored
    public async Task A_gateway_killed_at_any_step_of_anchoring_ends_with_exactly_one_anchor_per_batch(string crashAt)
    {
        string data = Path.Combine(_folder.Path, "crashy");
        using (GatewayProcess doomed = Gateway("crashy", crashAt, "--emulate", "2", "--Gateway:Emulate:MessagesPerMinute=0.01"))
        {
            doomed.Launch(); // no waiting for /health: it may be gone before it answers
            MosquittoBroker.WaitUntil(() => doomed.HasExited, TimeSpan.FromSeconds(30), $"the gateway to kill itself at '{crashAt}'");
        }

        var store = new AnchorStore(Path.Combine(data, "anchors.db"));
        AnchorBatch batch = Assert.Single(store.Unfinished());
        string? storedHash = store.Attempts(batch.Id).SingleOrDefault()?.TransactionHash;
        Assert.Equal(crashAt != "signed", storedHash is not null);

        using GatewayProcess restarted = Gateway("crashy", crashAt: null, "--emulate", "2", "--Gateway:Emulate:MessagesPerMinute=0.01").Start();
        await WaitFor(async () =>
        {
            await _anvil.Mine();
            return store.Batch(batch.Id).State == AnchorState.Final ? "final" : null;
        }, "the batch to become final");
        AnchorAttempt only = Assert.Single(store.Attempts(batch.Id));
        Assert.Equal(only.TransactionHash, store.Batch(batch.Id).TransactionHash);
        Assert.True(storedHash is null || storedHash == only.TransactionHash, "the restart must send the stored transaction, not a new one");
        Assert.Equal(1, store.BatchCount()); // the restart did not anchor the same heads again
        Assert.Equal(1, await Nonce()); // one transaction from the anchoring account
    }

    [Fact]
    public async Task Health_turns_degraded_with_the_reason_while_an_anchor_is_stuck_and_when_the_node_is_gone()
    {
        using GatewayProcess gateway = Gateway("health", crashAt: null, "--emulate", "2", "--Gateway:Anchoring:StuckMinutes=0.02").Start();
        await WaitFor(async () =>
        {
            await _anvil.Mine();
            JsonElement? health = gateway.Health();
            return health?.GetProperty("status").GetString() == "ok" && health.Value.GetProperty("anchoring").GetProperty("final").GetInt32() > 0 ? "ok" : null;
        }, "a final anchor with health ok");

        // Blocks stop: the next anchor stays Sent beyond StuckMinutes (1.2 s).
        await _anvil.Call("anvil_setAutomine", false);
        string stuck = (await WaitFor(() => Problems(gateway).FirstOrDefault(p => p.Contains("has been Sent", StringComparison.Ordinal)), "health to report a stuck anchor"))!;
        Assert.Equal("degraded", gateway.Health()!.Value.GetProperty("status").GetString());
        Assert.StartsWith("anchoring: batch ", stuck);

        // Blocks again: it moves on and health is ok again.
        await _anvil.Call("anvil_setAutomine", true);
        await WaitFor(async () =>
        {
            await _anvil.Mine();
            return gateway.Health()?.GetProperty("status").GetString() == "ok" ? "ok" : null;
        }, "health ok once anchors move again");

        // The node is gone.
        _anvil.Dispose();
        string gone = (await WaitFor(() => Problems(gateway).FirstOrDefault(p => p.Contains("failed talking to the node", StringComparison.Ordinal)), "health to report the node gone"))!;
        Assert.Contains($"http://127.0.0.1:{_anvil.Port}", gone);
        Assert.Equal("degraded", gateway.Health()!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_turns_degraded_when_the_node_is_gone_while_there_is_nothing_to_anchor()
    {
        // No devices: the only chain is the gateway's own (its profile names the anchoring address), anchored once; then nothing.
        using GatewayProcess gateway = Gateway("idle", crashAt: null).Start();
        await WaitFor(() => gateway.Health() is { } h && h.GetProperty("status").GetString() == "ok" && h.GetProperty("anchoring").ValueKind == JsonValueKind.Object
            && h.GetProperty("anchoring").GetProperty("batches").GetInt32() == 1 && !h.GetProperty("anchoring").GetProperty("open").EnumerateArray().Any(b => b.GetProperty("state").GetString() != "Included") ? "ok" : null, "health ok with the gateway's own profile anchored");

        _anvil.Dispose();
        string gone = (await WaitFor(() => Problems(gateway).FirstOrDefault(p => p.Contains("failed talking to the node", StringComparison.Ordinal)), "health to report the node gone"))!;
        Assert.Contains($"http://127.0.0.1:{_anvil.Port}", gone);
        JsonElement health = gateway.Health()!.Value;
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("anchoring").GetProperty("batches").GetInt32()); // no batch came after the gateway's own
    }

    /// <summary>The newest profile entry of <paramref name="node"/> in the gateway's store, if its signature checks out with the key it carries.</summary>
    private static Protocol.Identity.Profile? SignedProfile(GatewayProcess gateway, uint node)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(gateway.DataDirectory, "gateway.db")}");
        c.Open();
        using var select = c.CreateCommand();
        select.CommandText = $"SELECT bytes FROM entries WHERE author = {node} AND kind = {(int)Protocol.Chain.EntryKind.Profile} ORDER BY seq DESC LIMIT 1";
        if (select.ExecuteScalar() is not byte[] bytes || Protocol.Chain.EntryCodec.TryDecode(bytes, 0, bytes.Length, out Protocol.Chain.Entry? entry) != Protocol.ProtocolError.None)
        {
            return null;
        }

        byte[] body = entry!.CopyBody();
        Assert.Equal(Protocol.ProtocolError.None, Protocol.Identity.Profile.TryRead(new Protocol.Wire.ByteReader(body, 0, body.Length), out Protocol.Identity.Profile? profile));
        Assert.Equal(node, profile!.NodeId);
        Assert.True(Protocol.Chain.EntryHash.Verify(entry, profile.SigningKey, Protocol.Chain.EntryHash.Of(entry, profile.SigningKey)), "the profile's signature"); // docs/protocol.md §3.3
        return profile;
    }

    private static List<string> Problems(GatewayProcess gateway) =>
        gateway.Health() is { } health ? health.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList() : [];

    private void AssertAnchoredOnChain(Protocol.Anchors.AnchorNotice notice)
    {
        var receipt = _anvil.Rpc.ReceiptAsync("0x" + Convert.ToHexStringLower(notice.TransactionHash)).GetAwaiter().GetResult();
        Assert.NotNull(receipt);
        Assert.True(receipt.Succeeded);
        Assert.Equal(notice.BlockNumber, (uint)receipt.BlockNumber);
    }

    private GatewayProcess Gateway(string name, string? crashAt, params string[] extra)
    {
        string key = Path.Combine(_folder.Path, "anchor.key");
        File.WriteAllText(key, Convert.ToHexStringLower(AnchorKey));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string[] anchoring =
        [
            "--Gateway:Anchoring:Enabled=true", $"--Gateway:Anchoring:Rpc=http://127.0.0.1:{_anvil.Port}", "--Gateway:Anchoring:ChainId=31337",
            $"--Gateway:Anchoring:KeyFile={key}", "--Gateway:Anchoring:BatchMinutes=0.01", "--Gateway:Anchoring:PollSeconds=0.2",
        ];
        var environment = crashAt is null ? null : new Dictionary<string, string> { ["MM_ANCHOR_CRASH_AT"] = crashAt };
        return new GatewayProcess(name, Path.Combine(_folder.Path, name), FreePort.Tcp(), "embedded", [.. anchoring, .. extra]) { Environment = environment };
    }

    private async Task<System.Numerics.BigInteger> Nonce() =>
        await _anvil.Rpc.PendingNonceAsync(EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(AnchorKey)).ToString());

    private static async Task<T?> WaitFor<T>(Func<Task<T?>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is T value)
            {
                return value;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"waited 60 s for {what}");
    }

    private static Task<T?> WaitFor<T>(Func<T?> probe, string what) => WaitFor(() => Task.FromResult(probe()), what);
}
