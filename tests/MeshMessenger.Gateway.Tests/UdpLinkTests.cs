using System.Net;
using System.Net.Sockets;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// The UDP link with real sockets, the real ingest and SQLite, and real MessengerNode devices: held entries
/// and downlink go only to an address that proved its key, receipts come from proofs, and no address is
/// sent more than it sent before it proved anything.
/// </summary>
public sealed class UdpLinkTests
{
    [Fact]
    public async Task A_port_that_is_taken_fails_the_start_with_its_cause_and_any_port_binds_one_of_its_own()
    {
        using var squatter = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int taken = ((IPEndPoint)squatter.Client.LocalEndPoint!).Port;

        var refused = await Assert.ThrowsAsync<IOException>(() => UdpLinkFixture.StartAsync("udp-taken-", u => { u.AnyPort = false; u.Port = taken; }));
        Assert.Contains($"127.0.0.1:{taken}", refused.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SocketError.AddressAlreadyInUse), refused.Message, StringComparison.Ordinal);

        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-any-");
        Assert.NotEqual(0, gateway.Link.BoundPort); // bound when the start returned, no polling
        Assert.NotEqual(taken, gateway.Link.BoundPort);
    }

    [Fact]
    public async Task A_replayed_genesis_from_another_port_gets_a_challenge_only_and_the_real_device_then_gets_every_held_entry()
    {
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-hijack-");
        var (alice, bob, bobGenesis) = await SixHeldForBob(gateway);

        // The attacker heard Bob's genuine genesis once and replays it from its own port.
        using var attacker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await attacker.SendAsync(bobGenesis, gateway.Endpoint);
        byte[] reply = (await attacker.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30))).Buffer;
        LinkChallenge challenge = DecodeChallenge(reply);
        Assert.Equal(LinkChallenge.EmptySize + FrameLimits.HeaderSize, reply.Length);
        Assert.True(reply.Length <= bobGenesis.Length);
        Assert.Equal(0, challenge.Count);

        // It cannot sign as Bob: a proof claiming Bob's id under its own key is refused.
        NodeIdentity mallory = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)0x4D, 32).ToArray());
        byte[] payload = challenge.Encode();
        byte[] forgedSignature = mallory.Sign(LinkProof.HashOf(payload, bob.Id, uint.MaxValue), 0, 32);
        byte[] forged = ProofFrame(new LinkProof(bob.Id, challenge.Nonce, uint.MaxValue, forgedSignature));
        await attacker.SendAsync(forged, gateway.Endpoint);
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("udp_proofs_refused") == 1, "the forged proof to be refused");
        Assert.Equal(6, gateway.Held.HeldCount(bob.Id)); // no mark moved, nothing handed over
        Assert.False(gateway.Link.IsProven(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)attacker.Client.LocalEndPoint!).Port), bob.Id));

        // The real Bob, behind his own socket, answers the challenge with his key and receives all six.
        using var real = new UdpTestDevice(bob, gateway.Endpoint);
        real.Send(bobGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Held.HeldCount(bob.Id) == 0, "the held entries to be confirmed by Bob");
        lock (bob)
        {
            Assert.Equal(6, bob.Node.Messages.Cast<MessageRecord>().Count(m => m.Author == alice.Id && m.Text.StartsWith("held ", StringComparison.Ordinal)));
        }

        // The attacker never received an entry: only the one challenge.
        Assert.DoesNotContain(Drain(attacker), d => (FrameType)(d[0] & 0x1F) != FrameType.Challenge);
    }

    [Fact]
    public async Task A_held_entry_the_device_did_not_confirm_is_sent_again_until_it_is()
    {
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-resend-");
        var (alice, bob, bobGenesis) = await SixHeldForBob(gateway);

        // A lossy link: the first copy of Alice's third message never reaches Bob's node.
        int dropped = 0;
        using var real = new UdpTestDevice(bob, gateway.Endpoint, datagram =>
            IsEntry(datagram, alice.Id, 3) && Interlocked.Exchange(ref dropped, 1) == 0);
        real.Send(bobGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Held.HeldCount(bob.Id) == 0, "every held entry to be confirmed");

        Assert.Equal(2, real.Copies(alice.Id, 3)); // its receipt bit was missing, so it came again
        Assert.Equal(1, real.Copies(alice.Id, 2));
        Assert.Equal(6, gateway.Counters.Get("held_confirmed"));
        lock (bob)
        {
            Assert.Contains(bob.Node.Messages.Cast<MessageRecord>(), m => m.Author == alice.Id && m.Sequence == 3);
        }
    }

    [Fact]
    public async Task Garbage_from_many_ports_gets_nothing_and_replays_from_many_ports_get_one_small_challenge_each()
    {
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-amplify-");
        var carol = new TestDevice("carol");
        var dave = new TestDevice("dave");
        byte[] carolGenesis = carol.Take()[0];
        await gateway.StoreFromElsewhere(dave.Take());
        using var real = new UdpTestDevice(carol, gateway.Endpoint);
        real.Send(carolGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Link.IsProven(real.LocalEndpoint, carol.Id), "carol to prove her key");

        // 2,000 garbage datagrams from 200 ports: random bytes, some with a valid header of every frame type.
        var rng = new Random(7);
        var sockets = Enumerable.Range(0, 200).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))).ToList();
        // Frames ingested from UDP, less those Carol sent (she asks for the profiles of authors she does not know).
        long Others() => gateway.Counters.Get("frames_in_udp") - real.Sent.Count(d => (FrameType)(d[0] & 0x1F) != FrameType.Proof);
        long ingestedBefore = Others();
        int toIngest = 0;
        foreach (UdpClient socket in sockets)
        {
            for (int i = 0; i < 10; i++)
            {
                byte[] garbage = new byte[rng.Next(1, 400)];
                rng.NextBytes(garbage);
                if (i % 2 == 0)
                {
                    garbage[0] = (byte)(0x20 | rng.Next(1, 9)); // version 1, any type
                }

                // The link hands a datagram whose header reads as a proof to its proof check, anything else to the ingest.
                toIngest += FrameCodec.TryPeek(garbage, 0, garbage.Length, out FrameType type, out _) == ProtocolError.None && type == FrameType.Proof ? 0 : 1;
                await socket.SendAsync(garbage, gateway.Endpoint);
            }

            // Paced per port so the kernel's receive buffer never overflows: every datagram is looked at.
            await UdpLinkFixture.WaitUntil(() => Others() - ingestedBefore == toIngest, "the garbage to be ingested and refused");
        }

        // New entries are stored; a proven neighbour gets them, the garbage senders do not.
        int posts = await PostsReachCarol(gateway, dave, real, 2);
        Assert.All(sockets, s => Assert.Empty(Drain(s)));
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("udp_bytes_out") == real.BytesHeard, "the gateway's byte count to settle");

        // Carol's genuine genesis replayed twice from each of 100 other ports: one 25-byte challenge per port, nothing else.
        var replayers = sockets.Take(100).ToList();
        long challengesBefore = gateway.Counters.Get("udp_challenges_sent");
        foreach (UdpClient socket in replayers)
        {
            await socket.SendAsync(carolGenesis, gateway.Endpoint);
            await socket.SendAsync(carolGenesis, gateway.Endpoint);
        }

        // At least one challenge per port; a second only where the first was evicted by other ports of the same IP
        // address (MaxChallengesPerAddress), and never more than one per datagram received.
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("udp_challenges_sent") - challengesBefore >= 100, "a challenge per replaying port");
        await UdpLinkFixture.WaitUntil(() => Others() - ingestedBefore == toIngest + 200, "every replay to be ingested");
        await PostsReachCarol(gateway, dave, real, 2, posts);
        foreach (UdpClient socket in replayers)
        {
            List<byte[]> got = Drain(socket);
            Assert.InRange(got.Count, 1, 2);
            Assert.All(got, d => Assert.Equal(FrameType.Challenge, (FrameType)(d[0] & 0x1F)));
            Assert.All(got, d => Assert.Equal(25, d.Length));
            Assert.True(got.Sum(d => d.Length) <= 2 * carolGenesis.Length);
        }

        sockets.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Proven_neighbours_are_capped_by_evicting_the_least_recently_proven_and_each_one_s_downlink_is_rate_limited()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-caps-", udp =>
        {
            udp.MaxNeighbours = 2;
            udp.DownlinkBurstBytes = 2 * FrameLimits.Ip;
            udp.DownlinkBytesPerSecond = 1;
        });
        var dave = new TestDevice("dave");
        await gateway.StoreFromElsewhere(dave.Take());
        // Grace's hint is 0, the hint every public post carries: she must get them live like Frank, not held for her.
        var devices = new[] { new TestDevice("erin"), new TestDevice("frank"), WithHintZero("grace") };
        var links = new List<UdpTestDevice>();
        byte[][] genesis = [.. devices.Select(d => d.Take()[0])];
        await gateway.StoreFromElsewhere(genesis); // known before any device is proven, so no downlink of them
        foreach (TestDevice device in devices)
        {
            var link = new UdpTestDevice(device, gateway.Endpoint);
            links.Add(link);
            link.Send(genesis[links.Count - 1]); // verified (a duplicate), then challenged; the node answers with a proof
            // Proven by its own proof (under load a round may be challenged and proven again, so the counter is not exact).
            await UdpLinkFixture.WaitUntil(() => gateway.Link.IsProven(link.LocalEndpoint, device.Id), "the proof to be accepted", () => string.Join(", ", gateway.Counters.Snapshot().Select(p => $"{p.Key}={p.Value}")));
        }

        // The newest proof wins the full table: erin, proven first, was evicted, so no stranger can keep a slot forever.
        Assert.Equal(2, gateway.Link.NeighbourCount);
        Assert.Equal(1, gateway.Counters.Get("udp_neighbours_evicted"));
        Assert.False(gateway.Link.IsProven(links[0].LocalEndpoint, devices[0].Id));
        Assert.True(gateway.Link.IsProven(links[1].LocalEndpoint, devices[1].Id));
        Assert.True(gateway.Link.IsProven(links[2].LocalEndpoint, devices[2].Id));
        int heardWhileProven = links[0].Heard.Count; // answers to its own sync while it was proven (a want for a profile) came before

        // 30 posts of about 200 bytes: far more than the 2,464-byte burst at 1 byte per second.
        for (int i = 0; i < 30; i++)
        {
            dave.Node.PostPublic(new string('p', 150) + i);
        }

        await gateway.StoreFromElsewhere(dave.Take());
        // At least once each: a hand-over round that times out under load offers an entry again, and is counted again.
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("frames_out_udp") + gateway.Counters.Get("udp_downlink_dropped") >= 60, "every post to be sent or dropped for both neighbours", () => string.Join(", ", gateway.Counters.Snapshot().Select(p => $"{p.Key}={p.Value}")));
        Assert.True(gateway.Counters.Get("udp_downlink_dropped") > 0);
        double allowance = (2 * FrameLimits.Ip) + clock.Elapsed.TotalSeconds + 1;
        Assert.All(links.Skip(1), l => Assert.InRange(l.BytesHeard - 25, 1, allowance)); // less the one challenge
        Assert.DoesNotContain(links[0].Heard.Skip(heardWhileProven), d => (FrameType)(d[0] & 0x1F) != FrameType.Challenge);
        links.ForEach(l => l.Dispose());
    }

    private static TestDevice WithHintZero(string name)
    {
        var device = new TestDevice(name);
        while (NodeId.HintOf(device.Id) != 0)
        {
            device = new TestDevice(name);
        }

        return device;
    }

    [Fact]
    public async Task One_host_proving_many_made_up_identities_cannot_evict_a_real_device_from_the_neighbour_table()
    {
        // The attack: keys cost nothing, so one host makes 12 identities, stores their profiles and proves each from a
        // port of its own. With a table of 12 and no cap per host, the twelfth proof evicted carol, the least recently
        // proven, and she got no downlink until she proved again (and the next made-up proof evicted her again).
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-sybil-", udp => udp.MaxNeighbours = 12);
        var carol = new TestDevice("carol");
        byte[] carolGenesis = carol.Take()[0];
        await gateway.StoreFromElsewhere([carolGenesis]);
        using var real = new UdpTestDevice(carol, gateway.Endpoint);
        real.Send(carolGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Link.IsProven(real.LocalEndpoint, carol.Id), "carol to prove her key");

        var attacker = IPAddress.Parse("127.0.0.8");
        var sybils = new List<UdpTestDevice>();
        for (int i = 0; i < 12; i++)
        {
            var made = new TestDevice($"sybil{i}");
            var link = new UdpTestDevice(made, gateway.Endpoint, bind: attacker);
            sybils.Add(link);
            link.Send(made.Take()[0]); // a new profile: stored, then challenged, and the node proves its key
            await UdpLinkFixture.WaitUntil(() => gateway.Link.IsProven(link.LocalEndpoint, made.Id), "the made-up identity to prove its key", () => string.Join(", ", gateway.Counters.Snapshot().Select(p => $"{p.Key}={p.Value}")));
        }

        Assert.True(gateway.Link.IsProven(real.LocalEndpoint, carol.Id));
        Assert.Equal(UdpLink.MaxNeighboursPerAddress, sybils.Count(l => gateway.Link.IsProven(l.LocalEndpoint, l.Device.Id)));
        Assert.Equal(UdpLink.MaxNeighboursPerAddress + 1, gateway.Link.NeighbourCount);

        // Carol still gets what is stored for her.
        var dave = new TestDevice("dave");
        dave.Node.AddContact(ContactCard.Create(carol.Identity, carol.Name, null));
        await gateway.StoreFromElsewhere(dave.Take());
        uint message = dave.Node.SendText(carol.Id, "still reachable");
        await gateway.StoreFromElsewhere(dave.Take());
        await UdpLinkFixture.WaitUntil(() => real.Copies(dave.Id, message) > 0, "dave's message to reach carol");
        sybils.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task A_device_s_proof_of_a_challenge_sent_to_another_address_cannot_be_presented_there()
    {
        // The attack: a proof signs the challenge, not the address it went to, and a device answers any challenge that
        // reaches it. The attacker replays carol's genesis from its own port, is challenged, forwards the challenge to
        // carol's device, and reads the proof carol sends the gateway (an open Wi-Fi, a WPA2-PSK insider). Presented from
        // the attacker's port, that proof made the port a proven neighbour as carol: two such ports evicted her real one
        // and her downlink and hand-overs went to the attacker. Now carol's copy withdraws the attacker's challenge.
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-proof-relay-");
        var carol = new TestDevice("carol");
        byte[] carolGenesis = carol.Take()[0];
        await gateway.StoreFromElsewhere([carolGenesis]);
        using var real = new UdpTestDevice(carol, gateway.Endpoint);

        using var attacker = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 0));
        var attackerEndpoint = (IPEndPoint)attacker.Client.LocalEndPoint!;
        await attacker.SendAsync(carolGenesis, gateway.Endpoint);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] challenge = (await attacker.ReceiveAsync(wait.Token)).Buffer;
        Assert.Equal(FrameType.Challenge, (FrameType)(challenge[0] & 0x1F));

        await attacker.SendAsync(challenge, real.LocalEndpoint); // carol's device answers it, to the gateway
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("udp_proofs_unsolicited") == 1, "carol's proof to reach the gateway from her own port");
        byte[] proof = real.Sent.Last(d => (FrameType)(d[0] & 0x1F) == FrameType.Proof);
        await attacker.SendAsync(proof, gateway.Endpoint); // read off the air and presented from the attacker's port
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("udp_proofs_unsolicited") + gateway.Counters.Get("udp_proofs_accepted") == 2, "the copy to be judged");

        Assert.False(gateway.Link.IsProven(attackerEndpoint, carol.Id));
        Assert.Equal(0, gateway.Link.NeighbourCount);
        Assert.Equal(1, gateway.Counters.Get("udp_challenges_withdrawn"));

        // Carol herself still proves her key.
        real.Send(carolGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Link.IsProven(real.LocalEndpoint, carol.Id), "carol to prove her key");
    }

    // Alice and Bob are friends; a stranger knows Bob but Bob never gets the stranger's profile. The gateway holds the
    // three geneses (Bob's is also returned, for Bob to send from his socket).
    private static async Task<(TestDevice Alice, TestDevice Bob, TestDevice Stranger, byte[] BobGenesis)> AliceBobAndAStranger(UdpLinkFixture gateway, string stranger)
    {
        var alice = new TestDevice("alice");
        var bob = new TestDevice("bob");
        var other = new TestDevice(stranger);
        alice.Befriend(bob);
        other.Node.AddContact(ContactCard.Create(bob.Identity, bob.Name, null));
        byte[] bobGenesis = bob.Take()[0];
        await gateway.StoreFromElsewhere(alice.Take());
        await gateway.StoreFromElsewhere(other.Take());
        await gateway.StoreFromElsewhere([bobGenesis]);
        return (alice, bob, other, bobGenesis);
    }

    // The stranger's count messages to Bob are held, then Alice's "genuine" one, received later (the newest held entry);
    // returns its sequence.
    private static async Task<uint> StrangerWritesThenAlice(UdpLinkFixture gateway, TestDevice stranger, TestDevice alice, TestDevice bob, int count)
    {
        for (int i = 0; i < count; i++)
        {
            stranger.Node.SendText(bob.Id, $"from {stranger.Name} {i}");
        }

        await gateway.StoreFromElsewhere(stranger.Take());
        await Task.Delay(10);
        uint genuine = alice.Node.SendText(bob.Id, "genuine");
        await gateway.StoreFromElsewhere(alice.Take());
        return genuine;
    }

    [Fact]
    public async Task Entries_the_device_can_never_confirm_are_set_aside_and_never_block_a_newer_one()
    {
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-set-aside-");
        (TestDevice alice, TestDevice bob, TestDevice xavier, byte[] bobGenesis) = await AliceBobAndAStranger(gateway, "xavier");

        // 40 held messages from an author bob cannot verify, so he never holds them; then one he can.
        uint genuine = await StrangerWritesThenAlice(gateway, xavier, alice, bob, 40);
        Assert.Equal(41, gateway.Held.HeldCount(bob.Id));

        // Bob asks the gateway for the profiles of authors he does not know (a want the gateway answers): the link
        // loses xavier's every time, so he never holds it.
        using var real = new UdpTestDevice(bob, gateway.Endpoint, datagram => IsEntry(datagram, xavier.Id, 0));
        real.Send(bobGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("held_set_aside") == 40, "xavier's entries to be set aside", () => string.Join(", ", gateway.Counters.Snapshot().Select(p => $"{p.Key}={p.Value}")));
        await UdpLinkFixture.WaitUntil(() => gateway.Held.HeldCount(bob.Id) == 40, "alice's message to be confirmed");
        Assert.Equal(1, gateway.Counters.Get("held_confirmed"));
        Assert.Equal(1, real.Copies(alice.Id, genuine));
        Assert.All(Enumerable.Range(1, 40), s => Assert.Equal(StoreAndForward.MaxOffers, real.Copies(xavier.Id, (uint)s)));
        lock (bob)
        {
            Assert.Contains(bob.Node.Messages.Cast<MessageRecord>(), m => m.Author == alice.Id && m.Text == "genuine");
        }

        Assert.Empty(gateway.Held.NextBatch(bob.Id, LinkChallenge.MaxItems)); // nothing left to offer, nothing lost from the store
    }

    [Fact]
    public async Task A_flood_held_for_a_device_cannot_hold_a_friend_s_message_back_because_authors_take_turns_in_each_round()
    {
        // The attack: anyone can make an identity and write DMs to a device's hint over UDP while it is away. Rounds
        // taken in the order received put all of them ahead of a friend's later message: 100 entries, each offered
        // 3 times before it is set aside, are ten rounds of 32 before the friend's turn, and a longer absence more.
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-turns-");
        (TestDevice alice, TestDevice bob, TestDevice mallory, byte[] bobGenesis) = await AliceBobAndAStranger(gateway, "mallory");
        uint genuine = await StrangerWritesThenAlice(gateway, mallory, alice, bob, 100);
        Assert.Equal(101, gateway.Held.HeldCount(bob.Id));

        // The first round: mallory's oldest, then alice's, then the rest of mallory's (each author's oldest first).
        List<HeldEntry> round = gateway.Held.NextBatch(bob.Id, LinkChallenge.MaxItems);
        Assert.Equal(LinkChallenge.MaxItems, round.Count);
        Assert.Equal([(mallory.Id, 1u), (alice.Id, genuine), (mallory.Id, 2u)], round.Take(3).Select(e => (e.Author, e.Sequence)));

        // And over the link: bob proves his key and gets alice's message in that round, confirmed once.
        using var real = new UdpTestDevice(bob, gateway.Endpoint, datagram => IsEntry(datagram, mallory.Id, 0));
        real.Send(bobGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("held_confirmed") >= 1, "alice's message to be confirmed");
        Assert.Equal(1, real.Copies(alice.Id, genuine));
        lock (bob)
        {
            Assert.Contains(bob.Node.Messages.Cast<MessageRecord>(), m => m.Author == alice.Id && m.Text == "genuine");
        }
    }

    [Fact]
    public async Task A_stop_returns_only_once_every_datagram_it_took_has_been_handled()
    {
        // A hand-over runs in the handler of the datagram that started it and writes to the store as it goes; one
        // still running after the host stopped wrote to a store being closed (seen as a test folder that would not
        // delete). Stopped mid hand-over: 100 held entries take rounds, and the first confirmation is early.
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-stop-");
        (TestDevice alice, TestDevice bob, TestDevice mallory, byte[] bobGenesis) = await AliceBobAndAStranger(gateway, "mallory");
        await StrangerWritesThenAlice(gateway, mallory, alice, bob, 100);
        using var real = new UdpTestDevice(bob, gateway.Endpoint);
        real.Send(bobGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("held_confirmed") >= 1, "the hand-over to start");
        await gateway.Link.StopAsync(CancellationToken.None);
        Assert.Equal(0, gateway.Link.ReceivesInFlight);
    }

    [Fact]
    public async Task A_flood_of_replays_from_many_addresses_evicts_old_challenges_and_never_locks_out_a_new_device()
    {
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-challenge-flood-", udp => udp.MaxOutstandingChallenges = 16);
        var carol = new TestDevice("carol");
        var dave = new TestDevice("dave");
        byte[] daveGenesis = dave.Take()[0];
        byte[] carolGenesis = carol.Take()[0];
        await gateway.StoreFromElsewhere([daveGenesis, carolGenesis]);

        // Dave's genuine genesis replayed from 10 ports on each of 4 addresses: 40 challenges asked for, at most 16 kept, at most 8 per address.
        var replayers = new List<UdpClient>();
        for (int address = 2; address <= 5; address++)
        {
            for (int port = 0; port < 10; port++)
            {
                var socket = new UdpClient(new IPEndPoint(IPAddress.Parse($"127.0.0.{address}"), 0));
                replayers.Add(socket);
                await socket.SendAsync(daveGenesis, gateway.Endpoint);
                await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("udp_challenges_sent") == replayers.Count, "the replay to be challenged");
                Assert.InRange(gateway.Link.OutstandingChallenges, 1, 16);
            }
        }

        Assert.Equal(40 - 16, gateway.Counters.Get("udp_challenges_evicted"));

        // The table is full of challenges nobody can answer; a genuine new device still gets one and proves its key.
        using var real = new UdpTestDevice(carol, gateway.Endpoint);
        real.Send(carolGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Link.IsProven(real.LocalEndpoint, carol.Id), "carol to prove her key");
        replayers.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task One_address_cannot_hold_more_than_eight_challenges_and_one_key_holds_at_most_two_proven_addresses()
    {
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-per-node-");
        var carol = new TestDevice("carol");
        byte[] carolGenesis = carol.Take()[0];
        await gateway.StoreFromElsewhere([carolGenesis]);

        var replayers = Enumerable.Range(0, 12).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.7"), 0))).ToList();
        foreach (UdpClient socket in replayers)
        {
            await socket.SendAsync(carolGenesis, gateway.Endpoint);
        }

        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("udp_challenges_sent") == 12, "every replaying port to be challenged");
        Assert.Equal(UdpLink.MaxChallengesPerAddress, gateway.Link.OutstandingChallenges);
        Assert.Equal(12 - UdpLink.MaxChallengesPerAddress, gateway.Counters.Get("udp_challenges_evicted"));

        // Carol's key proven from three ports in turn: the newest two are neighbours, the oldest is dropped.
        var ports = new List<UdpTestDevice>();
        for (int i = 0; i < 3; i++)
        {
            var port = new UdpTestDevice(carol, gateway.Endpoint);
            ports.Add(port);
            port.Send(carolGenesis);
            await UdpLinkFixture.WaitUntil(() => gateway.Link.IsProven(port.LocalEndpoint, carol.Id), "carol to prove her key from another port");
        }

        Assert.False(gateway.Link.IsProven(ports[0].LocalEndpoint, carol.Id));
        Assert.True(gateway.Link.IsProven(ports[1].LocalEndpoint, carol.Id));
        Assert.Equal(2, gateway.Link.NeighbourCount);
        Assert.Equal(1, gateway.Counters.Get("udp_neighbours_evicted"));
        ports.ForEach(p => p.Dispose());
        replayers.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task A_proof_replayed_later_or_from_another_port_is_refused()
    {
        await using UdpLinkFixture gateway = await UdpLinkFixture.StartAsync("udp-proof-replay-");
        var carol = new TestDevice("carol");
        byte[] carolGenesis = carol.Take()[0];
        using var real = new UdpTestDevice(carol, gateway.Endpoint);
        real.Send(carolGenesis);
        await UdpLinkFixture.WaitUntil(() => gateway.Link.IsProven(real.LocalEndpoint, carol.Id), "carol to prove her key");
        byte[] proof = real.Sent.Single(d => (FrameType)(d[0] & 0x1F) == FrameType.Proof);

        using var attacker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await attacker.SendAsync(carolGenesis, gateway.Endpoint); // gets its own challenge, with another nonce
        Assert.Equal(FrameType.Challenge, (FrameType)((await attacker.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30))).Buffer[0] & 0x1F));
        await attacker.SendAsync(proof, gateway.Endpoint);
        real.Send(proof); // the nonce was used once already
        await UdpLinkFixture.WaitUntil(() => gateway.Counters.Get("udp_proofs_unsolicited") == 2, "both replays to be refused");
        Assert.Equal(1, gateway.Counters.Get("udp_proofs_accepted"));
        Assert.False(gateway.Link.IsProven((IPEndPoint)attacker.Client.LocalEndPoint!, carol.Id));
    }

    /// <summary>Alice's and Bob's genesis stored from another link, then six direct messages from Alice to Bob, held for him.</summary>
    private static async Task<(TestDevice Alice, TestDevice Bob, byte[] BobGenesis)> SixHeldForBob(UdpLinkFixture gateway)
    {
        var alice = new TestDevice("alice");
        var bob = new TestDevice("bob");
        alice.Befriend(bob);
        byte[] bobGenesis = bob.Take()[0];
        await gateway.StoreFromElsewhere(alice.Take());
        await gateway.StoreFromElsewhere([bobGenesis]);
        for (int i = 1; i <= 6; i++)
        {
            alice.Node.SendText(bob.Id, $"held {i}");
        }

        await gateway.StoreFromElsewhere(alice.Take());
        Assert.Equal(6, gateway.Held.HeldCount(bob.Id));
        return (alice, bob, bobGenesis);
    }

    /// <summary>Stores <paramref name="count"/> new posts from elsewhere and waits until the proven device has them; the downlink loop is sequential, so every earlier send is done.</summary>
    private static async Task<int> PostsReachCarol(UdpLinkFixture gateway, TestDevice author, UdpTestDevice carol, int count, int already = 0)
    {
        var sequences = new List<uint>();
        for (int i = 0; i < count; i++)
        {
            sequences.Add(author.Node.PostPublic($"news {already + i}"));
        }

        await gateway.StoreFromElsewhere(author.Take());
        await UdpLinkFixture.WaitUntil(() => sequences.All(s => carol.Copies(author.Id, s) == 1), "the new posts to reach the proven neighbour");
        return already + count;
    }

    private static bool IsEntry(byte[] datagram, uint author, uint sequence) =>
        FrameCodec.TryDecode(datagram, 0, datagram.Length, FrameLimits.Ip, out Frame? f) == ProtocolError.None && f!.Type == FrameType.Entry
        && Protocol.Chain.EntryCodec.TryDecode(f.Payload, 0, f.Payload.Length, out Protocol.Chain.Entry? e) == ProtocolError.None
        && e!.Author == author && e.Sequence == sequence;

    private static LinkChallenge DecodeChallenge(byte[] datagram)
    {
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(datagram, 0, datagram.Length, FrameLimits.Ip, out Frame? frame));
        Assert.Equal(FrameType.Challenge, frame!.Type);
        Assert.Equal(0, frame.HopLimit);
        Assert.Equal(ProtocolError.None, LinkChallenge.TryDecode(frame.Payload, 0, frame.Payload.Length, out LinkChallenge? challenge));
        return challenge!;
    }

    private static byte[] ProofFrame(LinkProof proof) =>
        FrameCodec.Encode(new Frame(FrameType.Proof, 0, 0, false, 0, 0, proof.Encode()), FrameLimits.Ip);

    /// <summary>What a socket has received so far (datagrams already queued in the kernel).</summary>
    private static List<byte[]> Drain(UdpClient socket)
    {
        var got = new List<byte[]>();
        var from = new IPEndPoint(IPAddress.Any, 0);
        while (socket.Available > 0)
        {
            got.Add(socket.Receive(ref from));
        }

        return got;
    }
}
