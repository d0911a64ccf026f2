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

/// <summary>Every collection of the protocol core stops at its cap with the documented behaviour (docs/nanoframework-subset.md, "Caps").</summary>
public sealed class CapsTests
{
    private static MessengerNode Node(byte fill, TestClock clock, NodeLimits limits) =>
        new(Identities.Fixed(fill), "n" + fill, new MemoryEntryStore(), clock, FrameLimits.LoRa, false, new Ed25519SignatureVerifier(), limits);

    [Fact]
    public void Node_messages_keep_the_newest_in_memory_and_the_store_keeps_every_entry()
    {
        MessengerNode alice = Node(1, new TestClock(), new NodeLimits { Messages = 5 });
        for (int i = 0; i < 8; i++)
        {
            alice.PostPublic("post " + i);
        }

        Assert.Equal(5, alice.Messages.Count);
        Assert.Equal(new[] { "post 3", "post 4", "post 5", "post 6", "post 7" }, alice.Messages.Cast<MessageRecord>().Select(m => m.Text));
        Assert.NotNull(alice.Chains.Store.Get(alice.Id, 1)); // "post 0" is still stored
    }

    [Fact]
    public void Node_outbox_drops_the_oldest_frame_and_counts_it()
    {
        MessengerNode alice = Node(1, new TestClock(), new NodeLimits { Outbox = 3 });
        for (int i = 0; i < 5; i++)
        {
            alice.PostPublic("post " + i);
        }

        // Genesis + 5 posts, one frame each.
        Assert.Equal(3, alice.OutboxCount);
        Assert.Equal(3, alice.Counters.OutboxDropped);
        Assert.Equal(6, alice.Counters.FramesOut);
        byte[][] frames = alice.TakeOutbox();
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(frames[2], 0, frames[2].Length, FrameLimits.Ip, out Frame? last));
        Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(last!.Payload, 0, last.Payload.Length, out Entry? entry));
        Assert.Equal(5u, entry!.Sequence); // the newest survived
    }

    [Fact]
    public void Node_outbox_at_its_cap_drops_answers_to_a_want_before_its_own_frames()
    {
        MessengerNode alice = Node(1, new TestClock(), new NodeLimits { Outbox = 4 });
        for (int i = 0; i < 6; i++)
        {
            alice.PostPublic("post " + i);
        }

        alice.TakeOutbox();
        uint own = alice.PostPublic("mine, not yet sent");

        // Anyone may ask (the hint is unsigned): a want for the whole chain answers with 7 entries, more than the outbox holds.
        var want = new Frame(FrameType.Want, 0, 0, false, 0, 0x77, new WantMessage([new SequenceRange(alice.Id, 0, 6)]).Encode());
        byte[] bytes = FrameCodec.Encode(want, FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, alice.Receive(bytes, 0, bytes.Length));

        byte[][] frames = alice.TakeOutbox(out bool[] answers);
        Assert.Equal(4, frames.Length);
        Assert.Equal(new[] { false, true, true, true }, answers);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(frames[0], 0, frames[0].Length, FrameLimits.Ip, out Frame? first));
        Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(first!.Payload, 0, first.Payload.Length, out Entry? entry));
        Assert.Equal(own, entry!.Sequence); // the own post survived; the oldest answers went
        Assert.Equal(3 + 4, alice.Counters.OutboxDropped); // 3 of the posts before, 4 answers now
    }

    [Fact]
    public void Node_refuses_a_channel_past_its_cap()
    {
        MessengerNode alice = Node(1, new TestClock(), new NodeLimits { Channels = 2 });
        var random = new SeededRandom(5);
        var channels = new List<ChannelKey>();
        while (channels.Count < 3)
        {
            ChannelKey channel = ChannelKey.Create("c" + channels.Count, random);
            if (channels.All(c => c.Hint != channel.Hint))
            {
                channels.Add(channel);
            }
        }

        Assert.True(alice.JoinChannel(channels[0]));
        Assert.True(alice.JoinChannel(channels[1]));
        Assert.False(alice.JoinChannel(channels[2]));
        Assert.True(alice.JoinChannel(channels[1])); // re-joining a joined channel is not a new one
        Assert.Throws<ProtocolException>(() => alice.PostToChannel(channels[2].Id, "not joined"));
    }

    [Fact]
    public void Node_receipt_ledger_keeps_the_newest_receipts_per_peer_and_a_bounded_number_of_peers()
    {
        var clock = new TestClock();
        MessengerNode alice = Node(1, clock, new NodeLimits { ReceiptsPerPeer = 3, ReceiptPeers = 2 });
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        MessengerNode dave = TestLink.Node(4, "dave", clock);
        var link = new TestLink(alice, bob, carol, dave);
        link.Run();
        for (int i = 0; i < 5; i++)
        {
            bob.SendText(alice.Id, "hello " + i);
            link.Run();
        }

        Assert.Equal(3, alice.ReceiptsHeldFor(bob.Id));
        carol.SendText(alice.Id, "from carol");
        link.Run();
        dave.SendText(alice.Id, "from dave");
        link.Run();
        Assert.Equal(2, alice.ReceiptPeersHeld);
        Assert.Equal(1, alice.ReceiptsHeldFor(dave.Id));

        // Receipts still flow: every message was delivered.
        Assert.Equal(MessageState.Delivered, dave.Tracker.StateOf(dave.OwnChain.NextSequence - 1));
    }

    [Fact]
    public void Node_direct_key_cache_drops_a_key_and_derives_it_again()
    {
        var clock = new TestClock();
        MessengerNode alice = Node(1, clock, new NodeLimits { DirectKeys = 1 });
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        var link = new TestLink(alice, bob, carol);
        link.Run();
        bob.SendText(alice.Id, "from bob");
        link.Run();
        carol.SendText(alice.Id, "from carol");
        link.Run();
        bob.SendText(alice.Id, "bob again");
        link.Run();
        alice.SendText(carol.Id, "to carol");
        alice.SendText(bob.Id, "to bob");
        link.Run();

        Assert.InRange(alice.DirectKeysCached, 1, 2); // one per direction at most
        var texts = alice.Messages.Cast<MessageRecord>().Where(m => !m.Outgoing).Select(m => m.Text).ToList();
        Assert.Equal(new[] { "from bob", "from carol", "bob again" }, texts);
        Assert.Contains(bob.Messages.Cast<MessageRecord>(), m => m.Text == "to bob");
        Assert.Contains(carol.Messages.Cast<MessageRecord>(), m => m.Text == "to carol");
    }

    [Fact]
    public void Delivery_tracker_forgets_the_lowest_sequence_at_its_cap()
    {
        var tracker = new DeliveryTracker(3);
        for (uint s = 1; s <= 5; s++)
        {
            tracker.Sent(s, 7);
        }

        Assert.Equal(3, tracker.Count);
        Assert.Equal(3, tracker.Capacity);
        Assert.Equal((MessageState)0, tracker.StateOf(1));
        Assert.Equal((MessageState)0, tracker.StateOf(2));
        Assert.Equal(MessageState.Sent, tracker.StateOf(5));
        Assert.True(tracker.Relayed(3));
        Assert.Equal(128, new DeliveryTracker().Capacity);
    }

    [Fact]
    public void Memory_store_drops_an_authors_oldest_entry_and_refuses_a_new_author_at_its_caps()
    {
        var store = new MemoryEntryStore(2, 3);
        var a = new AuthorLog(1);
        var b = new AuthorLog(2);
        var c = new AuthorLog(3);
        var aEntries = new List<Entry> { a.Genesis };
        aEntries.AddRange(a.Posts(4));
        foreach (Entry e in aEntries)
        {
            store.Put(new StoredEntry(e, new byte[32]));
        }

        store.Put(new StoredEntry(b.Genesis, new byte[32]));
        store.Put(new StoredEntry(c.Genesis, new byte[32]));

        Assert.Null(store.Get(a.Identity.Id, 0));
        Assert.Null(store.Get(a.Identity.Id, 1));
        Assert.NotNull(store.Get(a.Identity.Id, 4));
        Assert.True(store.TryGetRange(a.Identity.Id, out uint low, out uint high));
        Assert.Equal((2u, 4u), (low, high));
        Assert.Equal(4, store.Count);
        Assert.Equal(2, store.Authors().Length);
        Assert.Null(store.Get(c.Identity.Id, 0));

        // An entry older than everything held of a full author is dropped, not swapped in.
        store.Put(new StoredEntry(aEntries[0], new byte[32]));
        Assert.Null(store.Get(a.Identity.Id, 0));
        Assert.Equal(4, store.Count);
    }

    [Fact]
    public void Chain_store_refuses_a_contact_past_its_cap_but_still_reads_profiles_from_the_store()
    {
        var chains = new ChainStore(new MemoryEntryStore(), new Ed25519SignatureVerifier(), 2);
        Profile p1 = Profile.Of(Identities.Fixed(1), "one", null);
        Profile p2 = Profile.Of(Identities.Fixed(2), "two", null);
        Profile p3 = Profile.Of(Identities.Fixed(3), "three", null);
        Assert.True(chains.AddContact(p1));
        Assert.True(chains.AddContact(p2));
        Assert.False(chains.AddContact(p3));
        Assert.Null(chains.ProfileOf(p3.NodeId));

        var author = new AuthorLog(4);
        Assert.Equal(ChainVerdict.Accepted, chains.Accept(author.Genesis));
        Assert.Equal("author 4", chains.ProfileOf(author.Identity.Id)!.Name);
        Assert.Equal(new[] { "author 4", "one", "two" }, chains.KnownProfiles().Select(p => p.Name).Order());
        Assert.Equal(2, chains.MaxProfiles);
    }

    [Fact]
    public void Chain_store_keeps_the_newest_fork_evidence()
    {
        // Two devices with one key write different entries at the same sequence numbers: every one is a fork.
        var first = new AuthorLog(6);
        var second = new AuthorLog(6);
        var chains = new ChainStore(new MemoryEntryStore());
        Assert.Equal(ChainVerdict.Accepted, chains.Accept(first.Genesis));
        List<Entry> held = first.Posts(ChainStore.MaxForkEvidence + 5);
        foreach (Entry e in held)
        {
            chains.Accept(e);
        }

        List<Entry> other = Enumerable.Range(0, ChainStore.MaxForkEvidence + 5).Select(i => second.Post("other " + i)).ToList();
        foreach (Entry e in other)
        {
            chains.Accept(e);
        }

        Assert.Equal(ChainStore.MaxForkEvidence, chains.Forks.Count);
    }

    [Fact]
    public void Sync_planner_outputs_stop_at_their_maxima()
    {
        var chains = new ChainStore(new MemoryEntryStore());
        var authors = Enumerable.Range(10, 5).Select(i => new AuthorLog((byte)i)).ToList();
        foreach (AuthorLog a in authors)
        {
            chains.Accept(a.Genesis);
        }

        Assert.Equal(3, SyncPlanner.HeadsOf(chains, 0, 3).Length);
        var remote = Enumerable.Range(1, 40).Select(i => new ChainHead((uint)(0x1000 + i), 0, 5, new byte[EntryCodec.LinkSize])).ToArray();
        Assert.Equal(WantMessage.MaxRanges, SyncPlanner.Wants(chains, remote, true).Length);
    }

    [Fact]
    public void Device_limits_are_the_documented_defaults()
    {
        NodeLimits device = NodeLimits.Device;
        Assert.Equal((128, 128, 128, 8, 32, 32, 32, 128), (device.Messages, device.Outbox, device.TrackedMessages, device.Channels, device.DirectKeys, device.ReceiptPeers, device.ReceiptsPerPeer, device.Profiles));
        Assert.Equal(32, ChainStore.MaxForkEvidence);
        Assert.Equal((64, 256), (MemoryEntryStore.DefaultMaxAuthors, MemoryEntryStore.DefaultMaxEntriesPerAuthor));
    }
}
