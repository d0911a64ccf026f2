using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// Whom a restoring radio node asks, and what it takes as proof of its own head (docs/protocol.md §8.3): each chain is
/// asked of the neighbour that showed it, authors nothing was heard of are asked about again, and a peer's receipt
/// naming an own sequence keeps an archive's lower head from being adopted.
/// </summary>
public sealed class RestoreAskingTests
{
    private const byte Small = 0x21; // a neighbour that showed carol's chain
    private const byte Big = 0x22; // a neighbour whose heads showed the most entries, but not carol's chain

    [Fact]
    public void Extra_rounds_ask_each_chain_of_the_neighbour_that_showed_it()
    {
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        Hear(wiped, Big, false, new ChainHead(40, 0, 60, Link(1)));
        Hear(wiped, Small, false, new ChainHead(30, 0, 2, Link(2)));
        wiped.TakeOutbox(); // the wants that answer these heads; nothing comes back

        List<Frame> sent = RunRounds(wiped, clock, RestorePlan.Rounds + 1);

        // The first extra round asks for carol's entries 0..2 of the neighbour that showed them, not of the best one.
        Frame want = Assert.Single(sent, f => f.Type == FrameType.Want && f.HopStart == 0 && Ranges(f).Any(r => r.Author == 30));
        Assert.Equal(Small, want.NextHop);
        Assert.Contains(Ranges(want), r => r.Author == 30 && r.From == 0 && r.To == 2);
        Assert.DoesNotContain(Ranges(want), r => r.Author == 40);
        Assert.Contains(sent, f => f.Type == FrameType.Want && f.HopStart == 0 && f.NextHop == Big && Ranges(f).Any(r => r.Author == 40));
    }

    [Fact]
    public void Once_an_archive_was_heard_the_own_chain_is_asked_of_it_not_of_the_neighbour_heard_most()
    {
        // The emulator's wipe-gateway-30 seeds 31 and 54: own entries only the archive and their recipient hold were asked
        // 15-19 times of the plain neighbour whose summed heads showed the most entries, never of the archive.
        const byte archive = 0x30;
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        Hear(wiped, Big, false, new ChainHead(40, 0, 60, Link(1)));
        Hear(wiped, archive, true, new ChainHead(wiped.Id, 0, 5, Link(2)));
        wiped.TakeOutbox();

        List<Frame> sent = RunRounds(wiped, clock, RestorePlan.Rounds + 1);

        Frame own = Assert.Single(sent, f => f.Type == FrameType.Want && f.HopStart == 0 && Ranges(f).Any(r => r.Author == wiped.Id));
        Assert.Equal(archive, own.NextHop);
        Assert.Contains(Ranges(own), r => r.Author == wiped.Id && r.From == 0 && r.To == 5);
    }

    [Fact]
    public void Once_an_archive_was_heard_every_second_ask_of_an_advertised_run_goes_to_it()
    {
        // The emulator's wipe-gateway-30 seeds 3, 17, 49: posts the archive held were asked 4 times of the one neighbour
        // that showed them, whose answers collided at the wiped device each time; the archive was never asked.
        const byte archive = 0x30;
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        Hear(wiped, archive, true, new ChainHead(50, 0, 0, Link(1)));
        Hear(wiped, Small, false, new ChainHead(30, 0, 2, Link(2))); // carol's posts, shown by one plain neighbour
        wiped.TakeOutbox();

        List<Frame> sent = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds);

        byte[] askees = sent.Where(f => f.Type == FrameType.Want && f.HopStart == 0 && Ranges(f).Any(r => r.Author == 30)).Select(f => f.NextHop).ToArray();
        Assert.Equal(RestorePlan.ArchiveAdvertisedAsks, askees.Length);
        Assert.Equal(new byte[] { archive, Small, archive, Small, archive, Small }, askees);
    }

    [Fact]
    public void A_run_only_the_archive_showed_is_asked_of_every_neighbour_every_second_time()
    {
        // The emulator's wipe-gateway-30 with the gateway 100 m from the wiped device, seed 10: a post 26 devices held and
        // the gateway never decoded lay inside the run the gateway's heads showed, the only heads that reached the wiped
        // device; every ask went to the gateway, which cannot answer it.
        const byte archive = 0x30;
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        Hear(wiped, archive, true, new ChainHead(30, 0, 2, Link(1)));
        wiped.TakeOutbox();

        List<Frame> sent = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds);

        byte[] askees = sent.Where(f => f.Type == FrameType.Want && f.HopStart == 0 && Ranges(f).Any(r => r.Author == 30)).Select(f => f.NextHop).ToArray();
        Assert.Equal(new byte[] { archive, 0, archive, 0, archive, 0 }, askees); // 0: no next hop, every neighbour answers
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_ask_to_every_neighbour_is_flagged_readable_by_the_asker_only_even_for_an_archive(bool syncAllChains)
    {
        // Every neighbour answers a want with no next hop, each with up to 64 entries: unflagged (a restoring archive,
        // SyncAllChains, asks unflagged), the author itself and every other archive in reach would send the author's
        // direct messages to everyone, the cost §8.2's flag exists to avoid. The asks to the archive by name keep the
        // asker's own rule (an archive wants every entry).
        const byte archive = 0x30;
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true) { SyncAllChains = syncAllChains };
        wiped.TakeOutbox();
        Hear(wiped, archive, true, new ChainHead(30, 0, 2, Link(1)));
        wiped.TakeOutbox();

        List<Frame> wants = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds)
            .Where(f => f.Type == FrameType.Want && f.HopStart == 0 && Ranges(f).Any(r => r.Author == 30)).ToList();

        Assert.Equal(3, wants.Count(f => f.NextHop == 0));
        Assert.All(wants.Where(f => f.NextHop == 0), f => Assert.True(Want(f).ReadableOnly));
        Assert.All(wants.Where(f => f.NextHop == archive), f => Assert.Equal(!syncAllChains, Want(f).ReadableOnly));
    }

    [Fact]
    public void Extra_rounds_ask_any_neighbour_about_a_known_author_no_heads_showed()
    {
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        NodeIdentity carol = Identities.Fixed(3);
        Assert.True(wiped.AddContact(ContactCard.Create(carol, "carol", null)));
        wiped.TakeOutbox();
        Hear(wiped, Big, false, new ChainHead(40, 0, 3, Link(1))); // heard, but says nothing of carol

        List<Frame> extra = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds).ToList();
        Assert.False(wiped.Rebuilding);

        // In the extra rounds: questions about carol to every neighbour (next hop 0), at most UnresolvedAsks times.
        List<Frame> questions = extra.Where(f => f.Type == FrameType.Heads && f.NextHop == 0 && Heads(f).Query && Heads(f).Heads.Any(h => h.Author == carol.Id)).ToList();
        Assert.Equal(RestorePlan.UnresolvedAsks, questions.Count);
    }

    [Fact]
    public void A_peers_receipt_naming_an_own_sequence_keeps_an_archives_lower_head_from_being_adopted()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        new TestLink(alice, bob).Run();
        uint last = alice.SendText(bob.Id, "hello");
        new TestLink(alice, bob).Run(); // bob's delivery receipt names alice's `last`
        Assert.True(last >= 1);

        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        Assert.True(bob.Chains.Store.TryGetRange(bob.Id, out uint low, out uint high));
        for (uint s = low; s <= high; s++)
        {
            Entry entry = bob.Chains.Store.Get(bob.Id, s)!.Entry;
            foreach (Frame f in Fragmenter.Split(entry.Encoded, FrameLimits.LoRa, 0, false, bob.Hint))
            {
                byte[] bytes = FrameCodec.Encode(f, FrameLimits.LoRa);
                Assert.Equal(ProtocolError.None, wiped.Receive(bytes, 0, bytes.Length));
            }
        }

        // An archive that missed the newest own entry vouches one below it: not enough, the receipt proves it exists.
        Hear(wiped, 0x30, true, new ChainHead(alice.Id, 0, last - 1, Link(3)));
        Assert.False(wiped.FinishRestore());
        Assert.False(wiped.OwnChain.HeadKnown);
        Deliver(wiped, alice.Chains.Store.Get(alice.Id, last)!.Entry, 0x30); // the archive's answer to the want for it
        Hear(wiped, 0x30, true, new ChainHead(alice.Id, 0, last, EntryHash.LinkOf(alice.Chains.HashOf(alice.Id, last)!)));
        Assert.True(wiped.FinishRestore());
        AssertResumedAfter(wiped, last);
    }

    [Theory]
    [InlineData(false)] // a device: other chains flagged readable-only, its own chain whole
    [InlineData(true)] // an archive restoring: everything, unflagged
    public void A_restoring_device_asks_other_chains_for_what_it_can_read_and_its_own_chain_whole(bool archive)
    {
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true)
        {
            SyncAllChains = archive,
        };
        NodeIdentity carol = Identities.Fixed(3); // a contact: a device fetches the chains of authors it knows
        Assert.True(wiped.AddContact(ContactCard.Create(carol, "carol", null)));
        wiped.TakeOutbox();
        Hear(wiped, Big, true, new ChainHead(wiped.Id, 0, 5, Link(1)), new ChainHead(carol.Id, 0, 3, Link(2)));

        List<WantMessage> wants = [.. wiped.TakeOutbox()
            .Select(b => FrameCodec.TryDecode(b, 0, b.Length, FrameLimits.LoRa, out Frame? f) == ProtocolError.None ? f! : null)
            .Where(f => f is not null && f.Type == FrameType.Want && f.HopStart == 0 && f.NextHop == Big)
            .Select(f => WantMessage.TryDecode(f!.Payload, out WantMessage? w) == ProtocolError.None ? w! : throw new InvalidOperationException("bad want"))];
        WantMessage own = Assert.Single(wants, w => w.Ranges.Any(r => r.Author == wiped.Id));
        WantMessage other = Assert.Single(wants, w => w.Ranges.Any(r => r.Author == carol.Id));
        Assert.False(own.ReadableOnly);
        Assert.Equal(!archive, other.ReadableOnly);
        Assert.Equal(archive, ReferenceEquals(own, other)); // a device splits the two kinds into two wants
    }

    [Fact]
    public void An_archives_heads_from_before_the_settling_time_ends_do_not_confirm_a_head_it_had_not_caught_up_with()
    {
        // In miniature, the emulator's wipe-gateway-30 seed 51: alice's last entry before the wipe (a read receipt to bob)
        // reached bob and a relay, not yet the archive. Early in the restore the archive vouches one below it; bob is out
        // of reach. Later the archive hears that entry too, and only heads sent after the settling time may vouch.
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        new TestLink(alice, bob).Run();
        alice.SendText(bob.Id, "hello");
        new TestLink(alice, bob).Run();
        uint last = alice.OwnChain.NextSequence - 1;
        Assert.True(last >= 1);

        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        for (uint s = 0; s < last; s++)
        {
            // The archive's answers: every own entry it held, 0 .. last - 1.
            foreach (Frame f in Fragmenter.Split(alice.Chains.Store.Get(alice.Id, s)!.Entry.Encoded, FrameLimits.LoRa, 0, false, 0x30))
            {
                byte[] bytes = FrameCodec.Encode(f, FrameLimits.LoRa);
                Assert.Equal(ProtocolError.None, wiped.Receive(bytes, 0, bytes.Length));
            }
        }

        Hear(wiped, 0x30, true, new ChainHead(alice.Id, 0, last - 1, EntryHash.LinkOf(alice.Chains.HashOf(alice.Id, last - 1)!)));
        Assert.False(wiped.OwnChain.HeadKnown); // every entry up to the archive's head is held, yet the restore goes on

        // The host's settling time ends: the earlier heads vouch for nothing, and the node asks for its head again.
        wiped.TakeOutbox();
        Assert.False(wiped.FinishRestore());
        Assert.False(wiped.OwnChain.HeadKnown);
        Assert.Contains(Decoded(wiped.TakeOutbox()), f => f.Type == FrameType.Heads && Heads(f).Query && Heads(f).Heads.Any(h => h.Author == alice.Id));
        Assert.False(wiped.FinishRestore());

        // The archive, caught up meanwhile, answers at `last` and gives the entry: that ends the restore, and the next entry
        // does not reuse it.
        Deliver(wiped, alice.Chains.Store.Get(alice.Id, last)!.Entry, 0x30);
        Hear(wiped, 0x30, true, new ChainHead(alice.Id, 0, last, EntryHash.LinkOf(alice.Chains.HashOf(alice.Id, last)!)));
        Assert.True(wiped.OwnChain.HeadKnown);
        AssertResumedAfter(wiped, last);
    }

    [Fact]
    public void After_the_settling_time_an_unconfirmed_restore_asks_the_archive_for_its_head_in_every_asking_round()
    {
        // The one question the settling time sends can be lost (the emulator's wipe-gateway-30: the plain neighbours that
        // hold the own chain answer it at once and collide with the archive's answer); the rounds ask again, of the archive.
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        Hear(wiped, 0x30, true, new ChainHead(wiped.Id, 0, 5, Link(1)));
        Hear(wiped, Small, false, new ChainHead(wiped.Id, 0, 4, Link(2)));
        wiped.TakeOutbox();
        Assert.False(wiped.FinishRestore()); // the settling time ends; its question is lost
        wiped.TakeOutbox();

        RunRounds(wiped, clock, RestorePlan.Rounds);
        Hear(wiped, Small, false, new ChainHead(wiped.Id, 0, 4, Link(2))); // its answers to the base rounds' two questions,
        Hear(wiped, Small, false, new ChainHead(wiped.Id, 0, 4, Link(2))); // so no round asks it again
        List<Frame> extra = RunRounds(wiped, clock, 1, keepAfter: 0);
        List<Frame> asked = extra.Where(f => f.Type == FrameType.Heads && Heads(f).Query && Heads(f).Heads.Any(h => h.Author == wiped.Id)).ToList();
        Assert.NotEmpty(asked);
        Assert.All(asked, f => Assert.Equal(0x30, f.NextHop)); // only the archive answers: it alone confirms

        // Its answer at the highest own sequence known ends the restore, once that entry came back (heads are not signed).
        Hear(wiped, 0x30, true, new ChainHead(wiped.Id, 0, 5, Link(1)));
        Assert.False(wiped.OwnChain.HeadKnown);
        var writer = new LocalChain(Identities.Fixed(1), new ChainStore(new MemoryEntryStore()));
        Entry head = writer.StartNew(Profile.Of(Identities.Fixed(1), "alice", null), 100);
        for (uint s = 1; s <= 5; s++)
        {
            head = writer.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 100 + s, PostBody.Encode("p", PostBody.NoMedia, null));
        }

        Deliver(wiped, head, 0x30);
        Hear(wiped, 0x30, true, new ChainHead(wiped.Id, 0, 5, Link(1)));
        Assert.True(wiped.OwnChain.HeadKnown);
    }

    [Fact]
    public void A_made_up_own_head_holds_the_restore_back_only_until_the_rounds_ran_out()
    {
        // Heads are not signed: anyone can advertise the own chain far above anything signed, flagged as an archive. It is
        // never adopted (no entry backs it), and it holds the real archive's head back only while the rounds ask for it.
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        var writer = new LocalChain(Identities.Fixed(1), new ChainStore(new MemoryEntryStore()));
        Deliver(wiped, writer.StartNew(Profile.Of(Identities.Fixed(1), "alice", null), 100), 0x30); // the genesis came back
        Hear(wiped, 0x66, true, new ChainHead(wiped.Id, 0, 4_000_000_000, Link(9)));
        Assert.False(wiped.FinishRestore()); // the settling time ends
        Hear(wiped, 0x30, true, new ChainHead(wiped.Id, 0, 0, Link(1)));
        Assert.False(wiped.OwnChain.HeadKnown);

        RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds + 1, keepAfter: 0);
        Assert.False(wiped.Rebuilding);
        Hear(wiped, 0x30, true, new ChainHead(wiped.Id, 0, 0, Link(1)));
        Assert.True(wiped.OwnChain.HeadKnown);
        AssertResumedAfter(wiped, 0);
    }

    [Fact]
    public void After_the_settling_time_a_plain_neighbour_vouching_for_a_held_head_ends_the_restore_past_the_skip()
    {
        // With no archive in reach a plain neighbour's heads confirm (§8.3): a head too low by up to the resume entry's
        // skip is harmless, so waiting the rounds out only kept the device read-only. A higher head nobody backed yet
        // still holds the restore back, and heads from before the settling time vouch for nothing.
        (MessengerNode wiped, TestClock clock, List<Entry> written) = WipedHoldingOwnUpTo3();

        Hear(wiped, Small, false, new ChainHead(wiped.Id, 0, 3, Link(1)));
        Assert.False(wiped.OwnChain.HeadKnown); // before the settling time
        Assert.False(wiped.FinishRestore()); // the settling time ends

        Hear(wiped, Big, false, new ChainHead(wiped.Id, 0, 5, Link(3))); // 4 and 5 have not come back
        Hear(wiped, Small, false, new ChainHead(wiped.Id, 0, 3, Link(1)));
        Assert.False(wiped.OwnChain.HeadKnown);
        Assert.Throws<ProtocolException>(() => wiped.PostPublic("too early"));

        Deliver(wiped, written[4], Big);
        Deliver(wiped, written[5], Big);
        Hear(wiped, Big, false, new ChainHead(wiped.Id, 0, 5, Link(3)));
        Assert.True(wiped.OwnChain.HeadKnown);
        AssertResumedAfter(wiped, 5);
    }

    [Fact]
    public void Own_entries_in_the_run_the_resume_entry_skips_are_asked_for_a_few_times_and_kept()
    {
        // A plain neighbour can vouch for a head that is too low (§8.3). The resume entry's skip keeps those sequences from
        // being signed again, but the own entries above the head were then never asked for: in the emulator's
        // wipe-gateway-30 (seed 230) two own entries the gateway held did not come back.
        (MessengerNode wiped, TestClock clock, List<Entry> written) = WipedHoldingOwnUpTo3();

        Assert.False(wiped.FinishRestore()); // the settling time ends
        Hear(wiped, Small, false, new ChainHead(wiped.Id, 0, 3, Link(1))); // the neighbour holds 0..3 only
        Assert.True(wiped.OwnChain.HeadKnown);
        AssertResumedAfter(wiped, 3);
        uint next = wiped.OwnChain.NextSequence;

        List<Frame> sent = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds);
        List<Frame> asks = sent.Where(f => f.Type == FrameType.Want && f.HopStart == 0 && Ranges(f).Any(r => r.Author == wiped.Id && r.From == 4)).ToList();
        Assert.InRange(asks.Count, 1, 6); // asked, then taken as empty
        Assert.Contains(Ranges(asks[0]), r => r.Author == wiped.Id && r.From == 4 && r.To == 3 + LocalChain.ResumeSkip);

        Deliver(wiped, written[4], Small);
        Deliver(wiped, written[5], Small);
        Assert.NotNull(wiped.Chains.Store.Get(wiped.Id, 4));
        Assert.NotNull(wiped.Chains.Store.Get(wiped.Id, 5));
        Assert.Equal(next, wiped.OwnChain.NextSequence); // nothing signed again
    }

    [Fact]
    public void With_no_archive_heard_the_rounds_ask_every_neighbour_for_the_head_a_few_times_only()
    {
        // Without an archive no answer can confirm (§8.3), and every plain neighbour holding the own chain answers.
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        Hear(wiped, Small, false, new ChainHead(wiped.Id, 0, 4, Link(2)));
        wiped.TakeOutbox();
        Assert.False(wiped.FinishRestore());
        wiped.TakeOutbox();

        List<Frame> all = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds, keepAfter: 0);

        // The rounds' own questions go to the heard neighbour by name; the head questions to every neighbour (next hop 0).
        List<Frame> asked = all.Where(f => f.Type == FrameType.Heads && f.NextHop == 0 && Heads(f).Query && Heads(f).Heads.Any(h => h.Author == wiped.Id)).ToList();
        Assert.Equal(RestorePlan.OpenHeadAsks, asked.Count);
        Assert.False(wiped.OwnChain.HeadKnown);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_heard_neighbour_is_asked_the_known_authors_questions(bool archive)
    {
        // Each plain neighbour holds a different few of an author's posts (those it heard live) and its heads show only
        // those; the base rounds ask the best neighbour (an archive once heard) every second round and a few others, and
        // the emulator's wipe-30 and wipe-gateway-30 lost posts only an unasked neighbour showed
        // (docs/emulator-experiments.md, "Every heard neighbour asked the known authors' questions once").
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        Assert.True(wiped.AddContact(ContactCard.Create(Identities.Fixed(3), "carol", null)));
        wiped.TakeOutbox();
        byte[] neighbours = { 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47 };
        for (int i = 0; i < neighbours.Length; i++)
        {
            Hear(wiped, neighbours[i], archive && i == 0, new ChainHead(100 + (uint)i, 0, (uint)i, Link((byte)i)));
        }

        wiped.TakeOutbox();
        List<Frame> all = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds, keepAfter: 0);

        foreach (byte hint in neighbours)
        {
            Assert.Contains(all, f => f.Type == FrameType.Heads && f.NextHop == hint && Heads(f).Query);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void With_an_archive_heard_a_neighbour_heard_sending_any_frame_is_asked_the_known_authors_questions(bool archive)
    {
        // The emulator's wipe-home-gateway-30: the gateway 100 m away answers every question to all, its answers drown the
        // plain neighbours' heads, and a post the gateway never decoded was never known missing: only the gateway's heads
        // reached the wiped device. Without an archive the plain neighbours' heads do arrive, and nothing changes.
        const byte archiveHint = 0x30;
        const byte plain = 0x41;
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        Assert.True(wiped.AddContact(ContactCard.Create(Identities.Fixed(3), "carol", null)));
        wiped.TakeOutbox();
        Hear(wiped, archiveHint, archive, new ChainHead(100, 0, 3, Link(1)));
        byte[] want = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0x55, plain, new WantMessage([new SequenceRange(100, 0, 0)]).Encode()), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, wiped.Receive(want, 0, want.Length)); // the plain neighbour's want to someone else
        wiped.TakeOutbox();

        List<Frame> all = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds, keepAfter: 0);

        // None of its heads came back, so it is asked again after the base rounds, in UnansweredQuestions rounds in all
        // (one question frame a round here): its answers may have been lost under the archive's.
        int rounds = all.Count(f => f.Type == FrameType.Heads && f.NextHop == plain && Heads(f).Query);
        Assert.Equal(archive ? RestoreNeighbours.UnansweredQuestions : 0, rounds);
    }

    [Fact]
    public void Frames_under_every_relay_byte_leave_at_most_16_neighbours_and_a_neighbours_heads_still_get_in()
    {
        // Hostile input for ChainSync.NoteHeard: relay bytes are not signed, so a stranger can send a frame under each of
        // the 256 (0 and the device's own hint included) once an archive was heard. The table stays bounded, the own
        // hint and 0 are never named, and a plain neighbour whose heads show entries is still asked.
        const byte archiveHint = 0x30;
        const byte plain = 0xC1;
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        Assert.True(wiped.AddContact(ContactCard.Create(Identities.Fixed(3), "carol", null)));
        wiped.TakeOutbox();
        Hear(wiped, archiveHint, true, new ChainHead(100, 0, 3, Link(1)));
        foreach (int relay in new[] { 0, 1, wiped.Hint }.Concat(Enumerable.Range(0, 256))) // 0 and the own hint early
        {
            byte[] junk = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0x55, (byte)relay, new WantMessage([new SequenceRange(100, 0, 0)]).Encode()), FrameLimits.LoRa);
            wiped.Receive(junk, 0, junk.Length); // decoded, whatever its payload's fate
        }

        Hear(wiped, plain, false, new ChainHead(100, 0, 2, Link(2)));
        wiped.TakeOutbox();

        List<Frame> all = RunRounds(wiped, clock, RestorePlan.Rounds + RestorePlan.ExtraRounds, keepAfter: 0);

        byte[] named = all.Where(f => f.Type == FrameType.Heads && Heads(f).Query && f.NextHop != 0).Select(f => f.NextHop).Distinct().ToArray();
        Assert.DoesNotContain(wiped.Hint, named);
        Assert.Contains(plain, named);
        Assert.Contains(archiveHint, named);
        Assert.InRange(named.Length, 2, RestoreNeighbours.MaxNeighbours + 1); // the table's 16 and the archive, which need not be in it
    }

    // Alice's own chain as she wrote it before the wipe: her genesis and posts 1..last.
    private static List<Entry> AlicesChain(uint last)
    {
        var writer = new LocalChain(Identities.Fixed(1), new ChainStore(new MemoryEntryStore()));
        var written = new List<Entry> { writer.StartNew(Profile.Of(Identities.Fixed(1), "alice", null), 100) };
        for (uint s = 1; s <= last; s++)
        {
            written.Add(writer.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 100 + s, PostBody.Encode("p", PostBody.NoMedia, null)));
        }

        return written;
    }

    // An entry arriving from neighbour relay, in LoRa-sized pieces, as an answer to a want.
    private static void Deliver(MessengerNode node, Entry entry, byte relay)
    {
        foreach (Frame f in Fragmenter.Split(entry.Encoded, FrameLimits.LoRa, 0, false, relay))
        {
            byte[] bytes = FrameCodec.Encode(f, FrameLimits.LoRa);
            Assert.Equal(ProtocolError.None, node.Receive(bytes, 0, bytes.Length));
        }
    }

    private static void Hear(MessengerNode node, byte relay, bool archive, params ChainHead[] heads)
    {
        byte[] bytes = FrameCodec.Encode(new Frame(FrameType.Heads, 0, 0, false, 0, relay, new HeadsMessage(false, false, archive, heads).Encode()), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, node.Receive(bytes, 0, bytes.Length));
    }

    // The frames of an outbox that decode.
    private static List<Frame> Decoded(byte[][] outbox)
    {
        var frames = new List<Frame>();
        foreach (byte[] b in outbox)
        {
            if (FrameCodec.TryDecode(b, 0, b.Length, FrameLimits.LoRa, out Frame? f) == ProtocolError.None)
            {
                frames.Add(f!);
            }
        }

        return frames;
    }

    // A wiped Alice whose own entries 0..3 of the 0..5 she wrote came back from Small.
    private static (MessengerNode Wiped, TestClock Clock, List<Entry> Written) WipedHoldingOwnUpTo3()
    {
        var clock = new TestClock();
        var wiped = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        wiped.TakeOutbox();
        List<Entry> written = AlicesChain(5);
        for (int i = 0; i <= 3; i++)
        {
            Deliver(wiped, written[i], Small);
        }

        return (wiped, clock, written);
    }

    // Runs restore rounds as the device app does (one every 30 s) and returns what the rounds after the first
    // keepAfter (by default the base rounds) sent.
    private static List<Frame> RunRounds(MessengerNode node, TestClock clock, int rounds, int keepAfter = RestorePlan.Rounds)
    {
        var sent = new List<Frame>();
        for (int r = 1; r <= rounds && node.Rebuilding; r++)
        {
            clock.MonotonicMilliseconds += 30_000;
            node.AnnounceHeads(true);
            List<Frame> round = Decoded(node.TakeOutbox());
            if (r > keepAfter)
            {
                sent.AddRange(round);
            }
        }

        return sent;
    }

    private static SequenceRange[] Ranges(Frame f)
    {
        Assert.Equal(ProtocolError.None, WantMessage.TryDecode(f.Payload, out WantMessage? w));
        return w!.Ranges;
    }

    private static WantMessage Want(Frame f)
    {
        Assert.Equal(ProtocolError.None, WantMessage.TryDecode(f.Payload, out WantMessage? w));
        return w!;
    }

    private static HeadsMessage Heads(Frame f)
    {
        Assert.Equal(ProtocolError.None, HeadsMessage.TryDecode(f.Payload, out HeadsMessage? h));
        return h!;
    }

    private static byte[] Link(byte b)
    {
        var link = new byte[EntryCodec.LinkSize];
        link[0] = b;
        return link;
    }

    // The restore ended at own head `head`: the first entry after it is a resume entry skipping LocalChain.ResumeSkip
    // sequences (docs/protocol.md §8.3), linked to the head, and the next entry comes after it.
    private static void AssertResumedAfter(MessengerNode node, uint head)
    {
        Entry? resume = node.Chains.Store.Get(node.Id, head + 1 + LocalChain.ResumeSkip)?.Entry;
        Assert.NotNull(resume);
        Assert.Equal(EntryKind.Resume, resume.Kind);
        Assert.Equal(head, EntryCodec.LinkedSequence(resume));
        Assert.True(node.OwnChain.NextSequence > head + 1 + LocalChain.ResumeSkip);
        Assert.Null(node.Chains.Store.Get(node.Id, head + 1));
    }
}
