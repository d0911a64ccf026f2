using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// The parts the node is made of (src/MeshMessenger.Protocol/Node): each stops at its cap, and
/// <see cref="MessengerNode.MessageAdded"/> is raised exactly as <see cref="Inbox"/> documents.
/// </summary>
public sealed class NodePartsTests
{
    private static MessageRecord Record(uint sequence) => new(7, sequence, EntryKind.PublicPost, 0, 0, "post " + sequence, 0, false);

    [Fact]
    public void Inbox_keeps_the_newest_records_at_its_cap_and_raises_once_per_record_added()
    {
        var inbox = new Inbox(3);
        var raised = new List<uint>();
        inbox.MessageAdded += r => raised.Add(r.Sequence);
        for (uint s = 1; s <= 5; s++)
        {
            inbox.Add(Record(s));
        }

        Assert.Equal(3, inbox.Count);
        Assert.Equal(new uint[] { 3, 4, 5 }, Enumerable.Range(0, inbox.Count).Select(i => inbox.At(i).Sequence));
        Assert.Equal(new uint[] { 1, 2, 3, 4, 5 }, raised);
        Assert.False(inbox.Contains(7, 1));
        Assert.True(inbox.Contains(7, 5));
        inbox.Clear();
        Assert.Equal(0, inbox.Count);
        Assert.Equal(5, raised.Count); // clearing raises nothing
    }

    [Fact]
    public void Outbox_drops_the_oldest_frame_at_its_cap_and_counts_every_frame()
    {
        var counters = new NodeCounters();
        var outbox = new Outbox(2, FrameLimits.LoRa, 0x11, counters);
        for (byte i = 1; i <= 3; i++)
        {
            outbox.Queue(new Frame(FrameType.Heads, 0, 0, false, 0, 0x11, [i]));
        }

        Assert.Equal(2, outbox.Count);
        Assert.Equal(1, counters.OutboxDropped);
        Assert.Equal(3, counters.FramesOut);
        byte[][] frames = outbox.Take();
        Assert.Equal(new byte[] { 2, 3 }, frames.Select(f => f[FrameLimits.HeaderSize]));
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void Key_ring_caps_joined_channels_and_each_direction_of_its_direct_keys()
    {
        NodeIdentity me = Identities.Fixed(1);
        var chains = new ChainStore(new MemoryEntryStore(), new Ed25519SignatureVerifier(), ChainStore.DefaultMaxProfiles);
        Profile own = Profile.Of(me, "me", null);
        var ring = new KeyRing(me, own, chains, new NodeLimits { DirectKeys = 1, Channels = 1 });
        Profile bob = Profile.Of(Identities.Fixed(2), "bob", null);
        Profile carol = Profile.Of(Identities.Fixed(3), "carol", null);

        byte[]? toBob = ring.CachedDirectKey(own, bob);
        Assert.NotNull(ring.CachedDirectKey(own, carol));
        Assert.Equal(1, ring.DirectKeysCached); // bob's key made room for carol's
        Assert.Equal(toBob, ring.CachedDirectKey(own, bob)); // derived again, the same key
        Assert.NotNull(ring.CachedDirectKey(carol, own));
        Assert.Equal(2, ring.DirectKeysCached); // one per direction

        var random = new SeededRandom(9);
        ChannelKey first = ChannelKey.Create("first", random);
        ChannelKey second = ChannelKey.Create("second", random);
        Assert.True(ring.JoinChannel(first));
        Assert.Equal(first.Hint == second.Hint, ring.JoinChannel(second)); // a second hint is refused at the cap
        Assert.Same(first, ring.ChannelById(first.Id));
        Assert.Throws<ProtocolException>(() => ring.RequireProfile(bob.NodeId)); // not in the chain store
    }

    [Fact]
    public void Receipt_ledger_keeps_at_most_its_peers_and_receipts_per_peer()
    {
        var clock = new TestClock();
        NodeIdentity me = Identities.Fixed(1);
        var limits = new NodeLimits { ReceiptPeers = 2, ReceiptsPerPeer = 3 };
        var chains = new ChainStore(new MemoryEntryStore(), new Ed25519SignatureVerifier(), ChainStore.DefaultMaxProfiles);
        var keys = new KeyRing(me, Profile.Of(me, "me", null), chains, limits);
        var counters = new NodeCounters();
        var ledger = new ReceiptLedger(me.Id, chains, new LocalChain(me, chains), clock, keys, new Inbox(8), new Outbox(8, FrameLimits.LoRa, 1, counters), limits);
        for (uint s = 1; s <= 5; s++)
        {
            ledger.RecordAcknowledged(20, new ReceiptBody([new SequenceRange(20, s, s)]));
        }

        Assert.Equal(3, ledger.HeldFor(20));
        ledger.RecordAcknowledged(21, new ReceiptBody([new SequenceRange(21, 1, 1)]));
        ledger.RecordAcknowledged(22, new ReceiptBody([new SequenceRange(22, 1, 1)]));
        Assert.Equal(2, ledger.PeersHeld);
        Assert.Equal(0, ledger.HeldFor(20)); // the first peer was forgotten
        Assert.Equal(1, ledger.HeldFor(22));
    }

    [Fact]
    public void Want_responder_answers_one_want_with_at_most_MaxEntriesPerAnswer_entries()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        for (int i = 0; i < 100; i++)
        {
            alice.PostPublic("p" + i);
        }

        alice.TakeOutbox();
        var want = new WantMessage([new SequenceRange(alice.Id, 0, 63), new SequenceRange(alice.Id, 64, 100)]);
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0, 0x99, want.Encode()), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, alice.Receive(frame, 0, frame.Length));
        Assert.Equal(MessengerNode.MaxEntriesPerAnswer, alice.TakeOutbox().Length); // each post fits one frame
    }

    [Fact]
    public void Message_added_is_raised_once_per_new_message_whatever_duplicates_and_replays_arrive()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        var atAlice = new List<(uint, uint)>();
        var atBob = new List<(uint, uint)>();
        alice.MessageAdded += r => atAlice.Add((r.Author, r.Sequence));
        bob.MessageAdded += r => atBob.Add((r.Author, r.Sequence));
        var link = new TestLink(alice, bob) { Filter = f => [f, f] }; // every frame heard twice
        link.Run();
        uint first = alice.SendText(bob.Id, "first");
        uint post = alice.PostPublic("to everyone");
        link.Run();
        uint reply = bob.SendText(alice.Id, "reply");
        link.Run();

        // A replay of everything carried so far, relayed by another node: nothing new.
        foreach (byte[] copy in link.Carried.ToList())
        {
            Assert.True(FrameCodec.TryDecode(copy, 0, copy.Length, FrameLimits.Ip, out Frame? f) == ProtocolError.None);
            byte[] relayed = FrameCodec.Encode(f!.Readdressed(f.HopLimit, 0, 0x77), FrameLimits.LoRa);
            bob.Receive(relayed, 0, relayed.Length);
            alice.Receive(relayed, 0, relayed.Length);
        }

        var expected = new[] { (alice.Id, first), (alice.Id, post), (bob.Id, reply) };
        Assert.Equal(expected, atBob);
        Assert.Equal(expected, atAlice);
        Assert.Equal(3, bob.Messages.Count);
        Assert.Equal(3, alice.Messages.Count);
    }

    [Fact]
    public void Rebuild_from_store_raises_again_once_for_every_record_it_re_adds()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        var link = new TestLink(alice, bob);
        link.Run();
        alice.SendText(bob.Id, "one");
        bob.SendText(alice.Id, "two");
        alice.PostPublic("three");
        link.Run();
        var before = bob.Messages.Cast<MessageRecord>().Select(m => (m.Author, m.Sequence)).ToHashSet();

        var raised = new List<(uint, uint)>();
        bob.MessageAdded += r => raised.Add((r.Author, r.Sequence));
        bob.RebuildFromStore();

        Assert.Equal(3, before.Count);
        Assert.Equal(before.Count, raised.Count);
        Assert.Equal(before, raised.ToHashSet());
        Assert.Equal(before.Count, bob.Messages.Count);
    }

    [Fact]
    public void A_restore_raises_each_record_while_restoring_and_once_more_when_the_rebuild_re_adds_it()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        new TestLink(alice, bob).Run();
        alice.SendText(bob.Id, "first");
        new TestLink(alice, bob).Run();
        bob.SendText(alice.Id, "reply");
        alice.SendText(bob.Id, "second");
        new TestLink(alice, bob).Run();

        var wiped = new MessengerNode(Identities.Fixed(2), "bob", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        int whileRestoring = 0;
        int total = 0;
        wiped.MessageAdded += _ =>
        {
            total++;
            whileRestoring += wiped.OwnChain.Restoring ? 1 : 0;
        };
        // Alice posts while Bob restores: the link carries her post before Bob's first question.
        wiped.AddContact(ContactCard.Create(Identities.Fixed(1), "alice", null));
        alice.PostPublic("news while bob restores");
        new TestLink(alice, wiped).Run();
        Assert.False(wiped.FinishRestore()); // the settling time ends; alice's next heads confirm the head (§8.3)
        new TestLink(alice, wiped).Run();

        Assert.False(wiped.OwnChain.Restoring);
        Assert.Equal(bob.Messages.Count + 1, wiped.Messages.Count);
        Assert.Equal(3, whileRestoring); // alice's post and her two messages, all heard before the settling time ended
        // Everything heard while restoring was raised then and again by the rebuild; all else exactly once.
        Assert.Equal(whileRestoring + wiped.Messages.Count, total);
    }

    [Fact]
    public void Frame_peek_reads_type_and_hop_start_with_the_decoder_s_header_checks()
    {
        var frame = new Frame(FrameType.Want, 2, 3, true, 0x10, 0x20, [1, 2, 3]);
        byte[] bytes = FrameCodec.Encode(frame, FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, FrameCodec.TryPeek(bytes, 0, bytes.Length, out FrameType type, out int hopStart));
        Assert.Equal((FrameType.Want, 3), (type, hopStart));

        byte[] badVersion = (byte[])bytes.Clone();
        badVersion[0] = (byte)((2 << 5) | (int)FrameType.Want);
        byte[] hopLimitAboveStart = (byte[])bytes.Clone();
        hopLimitAboveStart[1] = (byte)((4 << 5) | (3 << 2));
        foreach (byte[] bad in new[] { badVersion, hopLimitAboveStart, bytes[..FrameLimits.HeaderSize] })
        {
            ProtocolError peek = FrameCodec.TryPeek(bad, 0, bad.Length, out _, out _);
            Assert.NotEqual(ProtocolError.None, peek);
            Assert.Equal(FrameCodec.TryDecode(bad, 0, bad.Length, FrameLimits.Ip, out _), peek);
        }
    }
    [Fact]
    public void An_own_entry_heard_from_a_neighbour_marks_it_relayed_only_if_its_signature_checks()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        new TestLink(alice, bob).Run();
        uint sequence = alice.SendText(bob.Id, "hello");
        Frame sent = alice.TakeOutbox()
            .Select(b => FrameCodec.TryDecode(b, 0, b.Length, FrameLimits.Ip, out Frame? f) == ProtocolError.None ? f! : null)
            .Single(f => f != null && f.Type == FrameType.Entry)!;

        // A neighbour's copy with one signature byte changed: the store refuses it, so it says nothing about delivery.
        byte[] forged = (byte[])sent.Payload.Clone();
        forged[^1] ^= 1;
        byte[] forgedFrame = FrameCodec.Encode(new Frame(FrameType.Entry, sent.HopLimit, sent.HopStart, false, 0, 0x77, forged), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.BadSignature, alice.Receive(forgedFrame, 0, forgedFrame.Length));
        Assert.Equal(MessageState.Sent, alice.Tracker.StateOf(sequence));

        byte[] genuine = FrameCodec.Encode(sent.Readdressed(sent.HopLimit, 0, 0x77), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, alice.Receive(genuine, 0, genuine.Length));
        Assert.Equal(MessageState.Relayed, alice.Tracker.StateOf(sequence));
    }

    [Fact]
    public void Messages_is_a_read_only_view_and_forgetting_them_raises_nothing()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        alice.PostPublic("one");
        alice.PostPublic("two");
        int raised = 0;
        alice.MessageAdded += _ => raised++;

        Assert.IsNotAssignableFrom<System.Collections.IList>(alice.Messages);
        Assert.Equal(2, alice.Messages.Cast<MessageRecord>().Count());
        alice.ForgetMessages();
        Assert.Empty(alice.Messages);
        Assert.Equal(0, raised);
        Assert.Equal(3, alice.Chains.Store.Count); // the store keeps every entry (profile and both posts)
        alice.RebuildFromStore();
        Assert.Equal(2, alice.Messages.Count);
        Assert.Equal(2, raised);
    }
    [Fact]
    public void A_stranger_s_profile_with_a_known_peer_s_hint_re_adds_nothing()
    {
        var clock = new TestClock();
        var alice = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, false, new Ed25519SignatureVerifier(), new NodeLimits { Messages = 2 });
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        new TestLink(alice, bob).Run();
        for (int i = 0; i < 4; i++)
        {
            alice.SendText(bob.Id, "to bob " + i); // the oldest two leave the inbox at its cap
        }

        alice.TakeOutbox();
        byte fill = 3;
        while (NodeId.HintOf(Identities.Fixed(fill).Id) != bob.Hint)
        {
            fill++;
        }

        MessengerNode mallory = TestLink.Node(fill, "mallory", clock);
        var held = alice.Messages.Cast<MessageRecord>().Select(m => m.Sequence).ToList();
        int raised = 0;
        alice.MessageAdded += _ => raised++;
        new TestLink(alice, mallory).Run();

        Assert.NotNull(alice.Chains.ProfileOf(mallory.Id)); // the stranger's profile was taken
        Assert.Equal(0, raised); // no message of Alice's is to Mallory: nothing became readable
        Assert.Equal(held, alice.Messages.Cast<MessageRecord>().Select(m => m.Sequence));
    }
}
