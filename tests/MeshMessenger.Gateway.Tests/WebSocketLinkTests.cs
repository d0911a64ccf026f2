using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// The WebSocket link (<c>GET /api/link</c>) of a whole gateway in this process, with real ClientWebSockets and
/// real MessengerNodes standing for browser nodes: a socket gets nothing but challenges until it proves a key, a
/// proven node talks with an emulated device, a wiped node rebuilds its chain from the gateway without forking it,
/// and bad clients are refused or closed without harming anyone else.
/// </summary>
public sealed class WebSocketLinkTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_node_proves_its_key_over_the_socket_then_messages_an_emulated_device_and_gets_its_reply_and_receipts()
    {
        await using LinkGateway gateway = await LinkGateway.StartAsync("ws-chat-", "--Gateway:Emulate:Devices=1");
        VirtualDevice amina = gateway.Emulated.Devices[0];
        MessengerNode ada = NewNode(0xA7, "ada");
        Assert.NotEqual(NodeId.HintOf(amina.Id), ada.Hint);
        ada.AddContact(ContactCard.Create(amina.Identity, amina.Name, null));

        await using WebSocketTestNode browser = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, ada);
        await Wait(() => gateway.Counters.Get("ws_proofs_accepted") == 1, "ada's proof", gateway);
        Assert.Equal(FrameType.Challenge, (FrameType)(browser.Heard.First()[0] & 0x1F)); // the first thing a socket hears

        uint hello = Locked(ada, () => ada.SendText(amina.Id, "hello Amina"));
        await browser.FlushAsync();
        await Wait(() => Locked(ada, () => ada.Tracker.StateOf(hello)) == MessageState.Delivered, "Amina's delivery receipt", gateway);
        Assert.Contains(gateway.Emulated.Use(amina.Id, d => d.Node.Messages.Cast<MessageRecord>().ToList()), m => m.Author == ada.Id && m.Text == "hello Amina");

        await gateway.Emulated.WriteAsync(amina.Id, d => d.Node.SendText(ada.Id, "hello Ada"));
        await Wait(() => Locked(ada, () => ada.Messages.Cast<MessageRecord>().Any(m => m.Author == amina.Id && m.Text == "hello Ada")), "Amina's reply", gateway);
        gateway.Emulated.Use(amina.Id, d => d.ReadFrom(ada.Id));
        await Wait(() => Locked(ada, () => ada.Tracker.StateOf(hello)) == MessageState.Read, "Amina's read receipt", gateway);

        // What was held for Ada went in hand-over rounds and her proofs confirmed it; the node list shows her link.
        await Wait(() => gateway.Held.HeldCount(ada.Id) == 0, "everything held for Ada to be confirmed", gateway);
        Assert.True(gateway.Counters.Get("held_confirmed") >= 3); // two receipts and the reply
        Assert.Contains(gateway.Services.GetRequiredService<NodeDirectory>().Snapshot(), n => n.Id == ada.Id && n.Link == Ingest.IngestSource.WebSocket && n.RssiDbm is null && n.SnrDb is null);
        string metrics = await Http.GetStringAsync(gateway.BaseUrl + "/metrics");
        Assert.Contains("meshmsg_gateway_ws_connections_total 1", metrics);
        Assert.Contains("meshmsg_gateway_frames_in_websocket_total", metrics);
    }

    [Fact]
    public async Task Held_entries_go_only_to_the_socket_that_proves_the_recipient_s_key_and_forged_replayed_or_wrong_nonce_proofs_are_refused()
    {
        await using LinkGateway gateway = await LinkGateway.StartAsync("ws-held-");
        MessengerNode alice = NewNode(0xA1, "alice");
        MessengerNode bob = NewNode(0xB0, "bob");
        MessengerNode mallory = NewNode(0x4D, "mallory");
        Assert.NotEqual(bob.Hint, mallory.Hint);
        alice.AddContact(ContactCard.Create(Identity(0xB0), "bob", null));
        bob.AddContact(ContactCard.Create(Identity(0xA1), "alice", null));
        byte[] bobGenesis = bob.TakeOutbox().Single();
        await gateway.StoreFromElsewhere([.. alice.TakeOutbox(), bobGenesis, .. mallory.TakeOutbox()]);
        for (int i = 1; i <= 6; i++)
        {
            alice.SendText(bob.Id, $"held {i}");
        }

        await gateway.StoreFromElsewhere(alice.TakeOutbox());
        Assert.Equal(6, gateway.Held.HeldCount(bob.Id));

        // The attacker's socket: a challenge at once; a proof claiming Bob but signed by Mallory's key is refused.
        await using WebSocketTestNode attacker = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null);
        LinkChallenge first = await NextChallenge(attacker, 1, gateway);
        Assert.Equal(0, first.Count);
        Assert.Equal(LinkChallenge.EmptySize + FrameLimits.HeaderSize, attacker.Heard.First().Length);
        byte[] forgedSignature = Identity(0x4D).Sign(LinkProof.HashOf(first.Encode(), bob.Id, uint.MaxValue), 0, 32);
        await attacker.SendAsync(ProofFrame(new LinkProof(bob.Id, first.Nonce, uint.MaxValue, forgedSignature)));
        await Wait(() => gateway.Counters.Get("ws_proofs_refused") == 1, "the forged proof to be refused", gateway);

        // Bob's genuine genesis replayed: verified, so another challenge; a proof quoting another nonce is refused.
        await attacker.SendAsync(bobGenesis);
        LinkChallenge second = await NextChallenge(attacker, 2, gateway);
        byte[] wrongNonce = RandomNonce();
        LinkProof misquoted = LinkProof.Answer(Identity(0x4D), second.Encode(), wrongNonce, 0);
        await attacker.SendAsync(ProofFrame(misquoted));
        await Wait(() => gateway.Counters.Get("ws_proofs_unsolicited") == 1, "the proof with a wrong nonce to be refused", gateway);

        // Mallory proves her own key: her socket is proven, as Mallory, and gets none of Bob's held entries.
        await attacker.SendAsync(ProofFrame(LinkProof.Answer(Identity(0x4D), second.Encode(), second.Nonce, 0)));
        await Wait(() => gateway.Counters.Get("ws_proofs_accepted") == 1, "Mallory's own proof", gateway);
        Assert.Equal(6, gateway.Held.HeldCount(bob.Id));

        // The real Bob on his own socket proves his key and gets all six, after his proof and not before.
        await using WebSocketTestNode real = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, bob);
        await Wait(() => gateway.Held.HeldCount(bob.Id) == 0, "Bob to confirm all six", gateway);
        Assert.Equal(6, Locked(bob, () => bob.Messages.Cast<MessageRecord>().Count(m => m.Author == alice.Id && m.Text.StartsWith("held ", StringComparison.Ordinal))));
        List<byte[]> heard = [.. real.Heard];
        int firstEntry = heard.FindIndex(m => (FrameType)(m[0] & 0x1F) == FrameType.Entry);
        byte[] bobProof = real.Sent.First(m => (FrameType)(m[0] & 0x1F) == FrameType.Proof);
        Assert.True(firstEntry > 0 && heard.Take(firstEntry).All(m => (FrameType)(m[0] & 0x1F) == FrameType.Challenge), "nothing but a challenge before the proof");

        // Bob's proof replayed on the attacker's socket answers no challenge of that socket.
        await attacker.SendAsync(bobProof);
        await Wait(() => gateway.Counters.Get("ws_proofs_unsolicited") == 2, "the replayed proof to be refused", gateway);
        Assert.DoesNotContain(attacker.EntriesHeard(), e => e.Author == alice.Id && e.Hint == bob.Hint);
        Assert.Equal(1, gateway.Counters.Get("ws_proofs_refused"));
    }

    [Fact]
    public async Task A_wiped_node_rebuilds_its_chain_and_conversation_from_the_gateway_and_carries_on_without_a_fork()
    {
        await using LinkGateway gateway = await LinkGateway.StartAsync("ws-restore-", "--Gateway:Emulate:Devices=1");
        VirtualDevice amina = gateway.Emulated.Devices[0];
        MessengerNode before = NewNode(0xA7, "ada");
        before.AddContact(ContactCard.Create(amina.Identity, amina.Name, null));
        uint high;
        await using (WebSocketTestNode browser = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, before))
        {
            await Wait(() => gateway.Counters.Get("ws_proofs_accepted") == 1, "ada's proof", gateway);
            uint first = Locked(before, () => before.SendText(amina.Id, "before the wipe 1"));
            Locked(before, () => before.SendText(amina.Id, "before the wipe 2"));
            await browser.FlushAsync();
            await Wait(() => Locked(before, () => before.Tracker.StateOf(first)) == MessageState.Delivered, "the first message to be delivered", gateway);
            await gateway.Emulated.WriteAsync(amina.Id, d => d.Node.SendText(before.Id, "reply before the wipe"));
            await Wait(() => Locked(before, () => before.Messages.Cast<MessageRecord>().Any(m => m.Text == "reply before the wipe")), "Amina's reply", gateway);
            await Wait(() => Locked(before, () => before.OutboxCount) == 0 && gateway.Held.HeldCount(before.Id) == 0, "every receipt to be sent and confirmed", gateway);
            high = Locked(before, () => before.OwnChain.NextSequence - 1);
            await Wait(() => StoredHigh(gateway, before.Id).GetAwaiter().GetResult() == high, "Ada's whole chain to be stored", gateway);
        }

        // Storage wiped: the same identity, an empty store, restoring; no contact, no chain.
        MessengerNode after = new(Identity(0xA7), "ada", new MemoryEntryStore(), new WallClock(), FrameLimits.Ip, restoring: true);
        await using WebSocketTestNode again = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, after);
        await Wait(() => !Locked(after, () => after.OwnChain.Restoring), "the restore to finish", gateway);
        await Wait(
            () => Locked(after, () => after.Messages.Cast<MessageRecord>().Select(m => m.Text).ToList()) is var texts
                && texts.Contains("before the wipe 1") && texts.Contains("before the wipe 2") && texts.Contains("reply before the wipe"),
            "the conversation to be rebuilt",
            gateway);
        // The first entry after the restore is a resume entry past the skipped run (docs/protocol.md §8.3), then the message.
        uint resume = high + 1 + LocalChain.ResumeSkip;
        Assert.Equal(resume + 1, Locked(after, () => after.OwnChain.NextSequence));

        uint next = Locked(after, () => after.SendText(amina.Id, "after the restore"));
        await again.FlushAsync();
        Assert.Equal(resume + 1, next);
        await Wait(() => StoredHigh(gateway, after.Id).GetAwaiter().GetResult() == next, "the new message to be stored", gateway);
        Assert.Equal(0, gateway.Counters.Get("dropped_fork"));
        List<long> chain = (await Http.GetFromJsonAsync<Dictionary<string, List<long>>>(gateway.BaseUrl + "/api/entries"))![Hex(after.Id)];
        Assert.Equal(Enumerable.Range(0, (int)high + 1).Select(i => (long)i).Append(resume).Append(next), chain.Order()); // one chain, no sequence twice
        await Wait(() => gateway.Emulated.Use(amina.Id, d => d.Node.Messages.Cast<MessageRecord>().Any(m => m.Text == "after the restore")), "Amina to read it", gateway);
    }

    [Fact]
    public async Task Foreign_origins_text_oversized_messages_and_a_ninth_socket_from_one_address_are_refused_and_the_gateway_carries_on()
    {
        await using LinkGateway gateway = await LinkGateway.StartAsync("ws-refuse-");

        // Another site's page: 403 before any upgrade. The gateway's own page (same Origin) is let in.
        using (ClientWebSocket foreign = WebSocketTestNode.NewSocket())
        {
            foreign.Options.SetRequestHeader("Origin", "http://evil.example");
            await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(gateway.LinkUri, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);
        }

        using (ClientWebSocket own = WebSocketTestNode.NewSocket())
        {
            own.Options.SetRequestHeader("Origin", gateway.BaseUrl);
            await own.ConnectAsync(gateway.LinkUri, CancellationToken.None);
            Assert.Equal(WebSocketState.Open, own.State);
            own.Abort();
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync(gateway.BaseUrl + "/api/link")).StatusCode);

        // A text message: closed with 1003; a message over one frame: closed with 1009.
        await using (WebSocketTestNode texter = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null))
        {
            await texter.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text);
            Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await texter.ClosedAsync());
        }

        await using (WebSocketTestNode big = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null))
        {
            await big.SendAsync(new byte[FrameLimits.Ip + 1]);
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, await big.ClosedAsync());
        }

        // Eight sockets from one address are the limit: the ninth hears 429 before any upgrade.
        await Wait(() => gateway.Link.OpenConnections == 0, "the closed sockets to be released", gateway);
        var open = new List<WebSocketTestNode>();
        for (int i = 0; i < 8; i++)
        {
            open.Add(await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null));
        }

        using (ClientWebSocket ninth = WebSocketTestNode.NewSocket())
        {
            await Assert.ThrowsAsync<WebSocketException>(() => ninth.ConnectAsync(gateway.LinkUri, CancellationToken.None));
            Assert.Equal(HttpStatusCode.TooManyRequests, ninth.HttpStatusCode);
        }

        // Another address still gets in; once one socket closes, this address may open another.
        await using (WebSocketTestNode other = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null, "127.0.0.3"))
        {
            await NextChallenge(other, 1, gateway);
        }

        await open[0].DisposeAsync();
        await Wait(() => gateway.Link.OpenConnections == 7, "the closed socket to be released", gateway);
        await using WebSocketTestNode replacement = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null);
        await NextChallenge(replacement, 1, gateway);
        foreach (WebSocketTestNode socket in open.Skip(1))
        {
            await socket.DisposeAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(gateway.BaseUrl + "/health")).StatusCode);
        Assert.Equal(1, gateway.Counters.Get("ws_refused_origin"));
        Assert.Equal(1, gateway.Counters.Get("ws_refused_address"));
        Assert.Equal(1, gateway.Counters.Get("ws_dropped_text"));
        Assert.Equal(1, gateway.Counters.Get("ws_dropped_oversized"));
    }

    [Fact]
    public async Task A_socket_that_proves_no_key_in_time_is_closed_and_frees_its_slot_while_a_proven_one_stays()
    {
        await using LinkGateway gateway = await LinkGateway.StartAsync("ws-unproven-", "--Gateway:WebSocket:ProveWithinSeconds=3", "--Gateway:WebSocket:ChallengeSeconds=2", "--Gateway:WebSocket:MaxConnectionsPerAddress=2");
        await using WebSocketTestNode squatter = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null);
        MessengerNode ada = NewNode(0xA7, "ada");
        await using WebSocketTestNode browser = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, ada);
        await Wait(() => gateway.Counters.Get("ws_proofs_accepted") == 1, "ada's proof", gateway);

        // Both slots of this address are taken; the one that never proved goes after 3 s with 1008, Ada's stays.
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await squatter.ClosedAsync());
        Assert.Equal(1, gateway.Counters.Get("ws_closed_unproven"));
        await Task.Delay(1500);
        Assert.Equal(WebSocketState.Open, browser.State);
        await Wait(() => gateway.Link.OpenConnections == 1, "the squatter's slot to be freed", gateway);
        await using WebSocketTestNode next = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null);
        Assert.Equal(WebSocketState.Open, next.State);
    }

    [Fact]
    public async Task A_junk_flood_over_the_socket_is_charged_to_its_address_and_another_address_s_node_is_still_served()
    {
        await using LinkGateway gateway = await LinkGateway.StartAsync("ws-flood-", "--Gateway:RateLimitPerMinute=60");

        // 300 junk frames from 127.0.0.2: random bytes, half with a valid header of a stored or sync type.
        await using WebSocketTestNode flooder = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, null, "127.0.0.2");
        var rng = new Random(11);
        const int Junk = 300;
        for (int i = 0; i < Junk; i++)
        {
            byte[] junk = new byte[rng.Next(1, 1000)];
            rng.NextBytes(junk);
            if (i % 2 == 0)
            {
                junk[0] = (byte)(0x20 | rng.Next(1, 5)); // version 1: entry, fragment, heads or want
            }
            else if ((junk[0] & 0x1F) == (int)FrameType.Proof)
            {
                junk[0] ^= 0x01; // proofs are not ingested; keep the count of ingested frames exact
            }

            await flooder.SendAsync(junk);
        }

        await Wait(() => gateway.Counters.Get("frames_in_websocket") == Junk, "every junk frame to be taken", gateway);
        long limited = gateway.Counters.Get("dropped_ratelimited");
        Assert.InRange(limited, Junk / 2, Junk - 30); // the burst of 30 (and what refilled meanwhile, one a second) was looked at; the rest cost nothing

        // A node on another address is not slowed by it: its genesis is stored, it proves its key and its message is stored.
        MessengerNode ada = NewNode(0xA7, "ada");
        await using WebSocketTestNode browser = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, ada, "127.0.0.1");
        await Wait(() => gateway.Counters.Get("ws_proofs_accepted") == 1, "ada's proof", gateway);
        uint seq = Locked(ada, () => ada.PostPublic("still here"));
        await browser.FlushAsync();
        await Wait(() => StoredHigh(gateway, ada.Id).GetAwaiter().GetResult() == seq, "ada's post to be stored", gateway);
        Assert.Equal(limited, gateway.Counters.Get("dropped_ratelimited"));

        // The flooder was sent its one challenge and ada's post (it never proved a key, so not even that).
        Assert.All(flooder.Heard, m => Assert.Equal(FrameType.Challenge, (FrameType)(m[0] & 0x1F)));
        Assert.Single(flooder.Heard);
    }

    [Fact]
    public async Task Wants_repeated_by_a_proven_socket_are_answered_only_within_its_downlink_budget()
    {
        // No inbound budget, a 4 KB bucket refilled at 1 byte a second: whatever the socket asks, entries worth more than that never go out.
        const int Burst = 4096;
        await using LinkGateway gateway = await LinkGateway.StartAsync("ws-want-", "--Gateway:RateLimitPerMinute=0", "--Gateway:WebSocket:DownlinkBurstBytes=4096", "--Gateway:WebSocket:DownlinkBytesPerSecond=1");
        MessengerNode alice = NewNode(0xA1, "alice");
        for (int i = 0; i < 60; i++)
        {
            alice.PostPublic($"post {i} " + new string('x', 200));
        }

        await gateway.StoreFromElsewhere(alice.TakeOutbox());
        MessengerNode bob = NewNode(0xB0, "bob");
        await using WebSocketTestNode browser = await WebSocketTestNode.ConnectAsync(gateway.LinkUri, bob);
        await Wait(() => gateway.Counters.Get("ws_proofs_accepted") == 1, "bob's proof", gateway);

        // Ten wants of ~20 bytes each for alice's 60 entries (~17 KB each time): at most the bucket is answered.
        byte[] want = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0, 0, new WantMessage([new SequenceRange(alice.Id, 0, 59)]).Encode()), FrameLimits.Ip);
        for (int i = 0; i < 10; i++)
        {
            await browser.SendAsync(want);
        }

        int EntryBytes() => browser.Heard.Where(m => (FrameType)(m[0] & 0x1F) is FrameType.Entry or FrameType.Fragment).Sum(m => m.Length);
        // The gateway counts its cuts before the answer it did send has crossed the socket: wait for both.
        await Wait(() => (gateway.Counters.Get("ws_sync_answers_cut") >= 10 && EntryBytes() > 0) || EntryBytes() > Burst + 100, "the wants to be answered or cut", gateway);
        Assert.InRange(EntryBytes(), 1, Burst + 100); // something was answered, never more than the bucket (and its refill of a byte a second)
    }

    private static string Hex(uint id) => id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    private static NodeIdentity Identity(byte seed) => NodeIdentity.FromRootSecret(Enumerable.Repeat(seed, 32).ToArray());

    private static MessengerNode NewNode(byte seed, string name) => new(Identity(seed), name, new MemoryEntryStore(), new WallClock(), FrameLimits.Ip, restoring: false);

    private static T Locked<T>(MessengerNode node, Func<T> action)
    {
        lock (node)
        {
            return action();
        }
    }

    private static async Task<long> StoredHigh(LinkGateway gateway, uint author)
    {
        Dictionary<string, List<long>>? entries = await Http.GetFromJsonAsync<Dictionary<string, List<long>>>(gateway.BaseUrl + "/api/entries");
        return entries!.TryGetValue(Hex(author), out List<long>? seqs) && seqs.Count > 0 ? seqs.Max() : -1;
    }

    private static async Task<LinkChallenge> NextChallenge(WebSocketTestNode socket, int nth, LinkGateway gateway)
    {
        await Wait(() => socket.HeardOf(FrameType.Challenge).Count >= nth, $"challenge {nth}", gateway);
        byte[] frame = socket.HeardOf(FrameType.Challenge)[nth - 1];
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? decoded));
        Assert.Equal(0, decoded!.HopLimit);
        Assert.Equal(ProtocolError.None, LinkChallenge.TryDecode(decoded.Payload, 0, decoded.Payload.Length, out LinkChallenge? challenge));
        return challenge!;
    }

    private static byte[] ProofFrame(LinkProof proof) =>
        FrameCodec.Encode(new Frame(FrameType.Proof, 0, 0, false, 0, 0, proof.Encode()), FrameLimits.Ip);

    private static byte[] RandomNonce() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(LinkChallenge.NonceSize);

    private static Task Wait(Func<bool> condition, string what, LinkGateway gateway) =>
        UdpLinkFixture.WaitUntil(condition, what, gateway.CountersText);

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
