using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>Chain requests, statuses and tips between real nodes over a test link.</summary>
public sealed class PaymentNodeTests
{
    private static readonly byte[] TxId = Enumerable.Repeat((byte)0xab, 32).ToArray();

    private sealed class Seen
    {
        public List<(uint Author, uint Sequence, EntryKind Kind, byte[] Body)> Entries { get; } = [];

        public Seen(MessengerNode node) => node.PaymentEntryReceived += (a, s, k, b) => Entries.Add((a, s, k, b));
    }

    [Fact]
    public void A_request_opens_at_the_gateway_only_and_the_status_comes_back_to_the_requester()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode gateway = TestLink.Node(2, "gateway", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        var link = new TestLink(alice, gateway, carol);
        link.Run(); // genesis entries: every node learns the others' keys from their profile entries, no contact cards
        var atAlice = new Seen(alice);
        var atGateway = new Seen(gateway);
        var atCarol = new Seen(carol);

        var request = new ChainRequestBody(ChainRequestKind.Broadcast, ChainTag.Evm(31337), [0x02, 0xf8, 0x6c]);
        uint sequence = alice.SendChainRequest(gateway.Id, request);
        link.Run();

        var got = Assert.Single(atGateway.Entries);
        Assert.Equal((alice.Id, sequence, EntryKind.ChainRequest), (got.Author, got.Sequence, got.Kind));
        Assert.Equal(request.Encode(), got.Body);
        Assert.Empty(atCarol.Entries);
        Assert.True(carol.Chains.Store.Get(alice.Id, sequence) != null, "carol relays and stores the sealed entry");
        Assert.DoesNotContain(carol.Messages.Cast<MessageRecord>(), m => m.Kind == EntryKind.ChainRequest);
        Assert.Contains(gateway.Messages.Cast<MessageRecord>(), m => m.Kind == EntryKind.ChainRequest && m.Author == alice.Id && m.Sequence == sequence);
        Assert.Contains(alice.Messages.Cast<MessageRecord>(), m => m.Kind == EntryKind.ChainRequest && m.Outgoing && m.Peer == gateway.Id);

        var status = ChainStatusBody.OfTx(sequence, ChainStatusKind.Accepted, TxId);
        uint statusSequence = gateway.SendChainStatus(alice.Id, status);
        link.Run();

        var back = Assert.Single(atAlice.Entries);
        Assert.Equal((gateway.Id, statusSequence, EntryKind.ChainStatus), (back.Author, back.Sequence, back.Kind));
        Assert.Equal(ProtocolError.None, ChainStatusBody.TryDecode(back.Body, out ChainStatusBody? opened));
        Assert.Equal(sequence, opened!.RequestSequence);
        Assert.Equal(TxId, opened.TxId);
        Assert.Empty(atCarol.Entries);
        Assert.Single(atGateway.Entries); // its own status is not raised back to it
    }

    [Fact]
    public void A_node_that_only_heard_the_gateway_s_profile_entry_can_seal_to_it()
    {
        var clock = new TestClock();
        MessengerNode gateway = TestLink.Node(2, "gateway", clock);
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        Assert.Throws<ProtocolException>(() => alice.SendChainRequest(gateway.Id, new ChainRequestBody(ChainRequestKind.Fees, ChainTag.Utxo(5), [])));

        foreach (byte[] frame in gateway.TakeOutbox())
        {
            alice.Receive(frame, 0, frame.Length); // the genesis: sequence 0 of the gateway's chain
        }

        alice.TakeOutbox(); // alice's own genesis is lost: the gateway does not know her either
        Assert.NotNull(alice.Chains.ProfileOf(gateway.Id));
        var atGateway = new Seen(gateway);
        uint sequence = alice.SendChainRequest(gateway.Id, new ChainRequestBody(ChainRequestKind.Fees, ChainTag.Utxo(5), []));
        var link = new TestLink(alice, gateway);
        link.Run(); // the gateway cannot verify the request yet; it asks for alice's profile entry
        Assert.Empty(atGateway.Entries);
        Assert.NotNull(gateway.Chains.ProfileOf(alice.Id));

        alice.AnnounceHeads(false); // the next heads exchange fetches the request
        link.Run();
        var got = Assert.Single(atGateway.Entries);
        Assert.Equal((alice.Id, sequence, EntryKind.ChainRequest), (got.Author, got.Sequence, got.Kind));
    }

    [Fact]
    public void Tips_are_public_and_raised_at_every_other_node()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        var link = new TestLink(alice, bob, carol);
        link.Run();
        uint post = bob.PostPublic("photos of the well");
        link.Run();
        var atAlice = new Seen(alice);
        var atBob = new Seen(bob);
        var atCarol = new Seen(carol);

        byte[] prefix = bob.Chains.HashOf(bob.Id, post)![..8];
        var tip = new TipBody(bob.Id, post, prefix, new ChainAddress(ChainTag.Evm(31337), new byte[20]), null, [0x0a], TxId);
        uint sequence = alice.PostTip(tip);
        link.Run();

        Assert.Empty(atAlice.Entries);
        foreach (Seen seen in new[] { atBob, atCarol })
        {
            var got = Assert.Single(seen.Entries);
            Assert.Equal((alice.Id, sequence, EntryKind.Tip), (got.Author, got.Sequence, got.Kind));
            Assert.Equal(tip.Encode(), got.Body);
        }

        Assert.Contains(carol.Messages.Cast<MessageRecord>(), m => m.Kind == EntryKind.Tip && m.Author == alice.Id);
    }

    [Fact]
    public void A_gateway_announces_its_served_chains_in_a_later_profile_entry()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode gateway = TestLink.Node(2, "gateway", clock);
        var link = new TestLink(alice, gateway);
        link.Run();

        ChainTag[] served = [ChainTag.Evm(31337), ChainTag.Utxo(5)];
        ChainAddress[] addresses = [new(ChainTag.Evm(31337), Enumerable.Repeat((byte)7, 20).ToArray())];
        uint sequence = gateway.UpdateProfile("gateway", addresses, served);
        link.Run();

        Assert.True(sequence > 0);
        Assert.Equal(served, gateway.Profile.ServedChains);
        Profile? known = alice.Chains.ProfileOf(gateway.Id);
        Assert.Equal(served, known!.ServedChains);
        Assert.Equal(addresses, known.Addresses);

        var atGateway = new Seen(gateway);
        alice.SendChainRequest(gateway.Id, new ChainRequestBody(ChainRequestKind.Nonce, ChainTag.Evm(31337), new byte[20]));
        link.Run();
        Assert.Single(atGateway.Entries);
    }

    [Fact]
    public void A_restarted_node_keeps_its_newest_profile()
    {
        var clock = new TestClock();
        var store = new MemoryEntryStore();
        NodeIdentity identity = Identities.Fixed(2);
        var gateway = new MessengerNode(identity, "gateway", store, clock, Frames.FrameLimits.LoRa, restoring: false);
        ChainTag[] served = [ChainTag.Utxo(5)];
        gateway.UpdateProfile("gateway", null, served);

        var again = new MessengerNode(identity, "gateway", store, clock, Frames.FrameLimits.LoRa, restoring: false);
        Assert.Equal(served, again.Profile.ServedChains);
        Assert.Equal(served, again.Chains.ProfileOf(identity.Id)!.ServedChains);
    }

    [Fact]
    public void A_restarted_node_keeps_a_peers_newest_profile()
    {
        var clock = new TestClock();
        var store = new MemoryEntryStore();
        NodeIdentity aliceIdentity = Identities.Fixed(1);
        var alice = new MessengerNode(aliceIdentity, "alice", store, clock, Frames.FrameLimits.LoRa, restoring: false);
        MessengerNode gateway = TestLink.Node(2, "gateway", clock);
        var link = new TestLink(alice, gateway);
        link.Run();
        ChainTag[] served = [ChainTag.Evm(31337)];
        gateway.UpdateProfile("gateway", null, served);
        link.Run();
        Assert.Equal(served, alice.Chains.ProfileOf(gateway.Id)!.ServedChains);

        // Reopened from its store (a page reload, a reboot): the gateway's later profile entry still wins over its sequence 0.
        var again = new MessengerNode(aliceIdentity, "alice", store, clock, Frames.FrameLimits.LoRa, restoring: false);
        Assert.Equal(served, again.Chains.ProfileOf(gateway.Id)!.ServedChains);
    }
}
