using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

public sealed class SyncTests
{
    [Fact]
    public void A_wiped_device_rebuilds_its_history_from_a_neighbour_and_never_reuses_a_sequence()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        new TestLink(alice, bob).Run();
        uint s1 = alice.SendText(bob.Id, "first");
        new TestLink(alice, bob).Run();
        bob.SendText(alice.Id, "reply from bob");
        new TestLink(alice, bob).Run();
        bob.MarkRead(alice.Id, s1);
        alice.SendText(bob.Id, "second");
        new TestLink(alice, bob).Run();
        uint bobNext = bob.OwnChain.NextSequence;
        int bobMessages = bob.Messages.Count;

        // Bob's storage is wiped; his key comes back from the backup code.
        Assert.Equal(ProtocolError.None, BackupCode.TryRestore(BackupCode.Create(Identities.Fixed(2)), out NodeIdentity? restoredKey));
        var wiped = new MessengerNode(restoredKey!, "bob", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        Assert.False(wiped.OwnChain.HeadKnown);
        var refused = Assert.Throws<ProtocolException>(() => wiped.PostPublic("too early"));
        Assert.Contains("not confirmed", refused.Message);

        var link = new TestLink(alice, wiped);
        link.Run();
        Assert.False(wiped.OwnChain.HeadKnown); // heads heard before the settling time ends vouch for nothing (§8.3)
        Assert.False(wiped.FinishRestore());
        link.Run();

        Assert.True(wiped.OwnChain.HeadKnown);
        AssertResumedPast(bob, wiped, bobNext);
        Assert.True(bobMessages == wiped.Messages.Count, string.Join(" | ", wiped.Messages.Cast<MessageRecord>().Select(m => $"{m.Author:x}/{m.Sequence}/{m.Text}/{m.Outgoing}")) + " vs " + string.Join(" | ", bob.Messages.Cast<MessageRecord>().Select(m => $"{m.Author:x}/{m.Sequence}/{m.Text}/{m.Outgoing}")));
        Assert.Contains(wiped.Messages.Cast<MessageRecord>(), m => m.Outgoing && m.Text == "reply from bob");
        Assert.Contains(wiped.Messages.Cast<MessageRecord>(), m => !m.Outgoing && m.Text == "second");

        // The sync asked for ranges, not single entries.
        var wants = link.Carried
            .Select(b => { FrameCodec.TryDecode(b, 0, b.Length, FrameLimits.Ip, out Frame? f); return f!; })
            .Where(f => f.Type == FrameType.Want && f.HopStart == 0) // relayed wants (hop start 1) carry the asker too
            .Select(f => { WantMessage.TryDecode(f.Payload, out WantMessage? w); return w!; })
            .ToList();
        Assert.Contains(wants, w => w.Ranges.Any(r => r.Author == bob.Id && r.From == 0 && r.To == bobNext - 1));

        // Bob writes again after his resume entry; Alice accepts both as the continuation, not a fork.
        uint next = wiped.SendText(alice.Id, "I'm back");
        Assert.Equal(bobNext + LocalChain.ResumeSkip + 1, next);
        link.Run();
        Assert.Empty(alice.Chains.Forks);
        Assert.Contains(alice.Messages.Cast<MessageRecord>(), m => m.Text == "I'm back");
        Assert.Equal(MessageState.Delivered, wiped.Tracker.StateOf(next));
    }

    [Fact]
    public void A_hole_inside_a_held_run_is_asked_for_though_both_ends_are_held()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        for (int i = 0; i < 30; i++)
        {
            alice.PostPublic($"post {i}");
        }

        // Carol holds alice's 0..10 and 20..30 (the later ones relayed live while the older were being fetched).
        for (uint s = 0; s <= 30; s++)
        {
            if (s <= 10 || s >= 20)
            {
                Assert.NotEqual(ChainVerdict.Invalid, carol.Chains.Accept(alice.Chains.Store.Get(alice.Id, s)!.Entry));
            }
        }

        uint low;
        uint high;
        Assert.True(alice.Chains.Store.TryGetRange(alice.Id, out low, out high));
        SequenceRange[] wants = SyncPlanner.Wants(carol.Chains, [new ChainHead(alice.Id, low, high, EntryHash.LinkOf(alice.Chains.HashOf(alice.Id, high)!))], allChains: true);
        Assert.Contains(wants, w => w.Author == alice.Id && w.From == 11 && w.To == 19);

        // Over a link the hole is filled and nothing else is asked for.
        carol.SyncAllChains = true;
        new TestLink(alice, carol).Run();
        for (uint s = 0; s <= 30; s++)
        {
            Assert.NotNull(carol.Chains.Store.Get(alice.Id, s));
        }

        Assert.Empty(SyncPlanner.Wants(carol.Chains, [new ChainHead(alice.Id, low, high, EntryHash.LinkOf(alice.Chains.HashOf(alice.Id, high)!))], allChains: true));
    }

    [Fact]
    public void A_recipient_reads_every_message_addressed_to_it_though_the_author_wrote_to_others_between()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        new TestLink(alice, bob, carol).Run();
        alice.SendText(bob.Id, "one for bob");
        new TestLink(alice, bob).Run();            // carol is away
        alice.SendText(carol.Id, "one for carol");
        new TestLink(alice, carol).Run();          // bob is away
        uint third = alice.SendText(bob.Id, "another for bob");
        new TestLink(alice, bob).Run();

        Assert.Contains(bob.Messages.Cast<MessageRecord>(), m => m.Text == "another for bob");
        Assert.True(bob.Counters.Verdicts(ChainVerdict.Gap) >= 1);
        Assert.Equal(MessageState.Delivered, alice.Tracker.StateOf(third));
    }

    [Fact]
    public void A_restored_node_that_cannot_get_every_entry_back_adopts_the_advertised_head()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        new TestLink(alice, bob, carol).Run();
        bob.SendText(carol.Id, "for carol only");
        new TestLink(bob, carol).Run();
        bob.SendText(alice.Id, "for alice");
        new TestLink(alice, bob).Run();
        uint bobNext = bob.OwnChain.NextSequence;

        // Only Alice is in reach after the wipe; she lacks Bob's entries for Carol.
        var wiped = new MessengerNode(Identities.Fixed(2), "bob", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        new TestLink(alice, wiped).Run();
        Assert.False(wiped.OwnChain.HeadKnown);
        Assert.False(wiped.FinishRestore()); // the settling time ends: only heads heard from now on vouch (§8.3)
        new TestLink(alice, wiped).Run();
        Assert.True(wiped.FinishRestore());
        AssertResumedPast(bob, wiped, bobNext);
        wiped.SendText(alice.Id, "continuing");
        new TestLink(alice, wiped).Run();
        Assert.Empty(alice.Chains.Forks);
        Assert.Contains(alice.Messages.Cast<MessageRecord>(), m => m.Text == "continuing");
    }

    [Fact]
    public void Heads_and_wants_round_trip_and_refuse_bad_ranges()
    {
        var heads = new HeadsMessage(true, [new ChainHead(7, 0, 300, [1, 2, 3, 4, 5, 6, 7, 8])]);
        Assert.Equal(ProtocolError.None, HeadsMessage.TryDecode(heads.Encode(), out HeadsMessage? h));
        Assert.True(h!.RequestReply);
        Assert.Equal(300u, h.Heads[0].High);
        Assert.Equal(ProtocolError.InvalidField, HeadsMessage.TryDecode([8, 0], out _));

        var want = new WantMessage([new SequenceRange(7, 10, 73)]);
        Assert.Equal(ProtocolError.None, WantMessage.TryDecode(want.Encode(), out WantMessage? w));
        Assert.Equal(64, w!.Ranges[0].Length);
        Assert.Equal(ProtocolError.InvalidField, WantMessage.TryDecode(new WantMessage([new SequenceRange(7, 10, 74)]).Encode(), out _));
        Assert.Equal(ProtocolError.InvalidField, WantMessage.TryDecode([0], out _));
    }

    [Fact]
    public void Planner_asks_for_newer_and_older_entries_in_ranges_of_at_most_64()
    {
        var author = new AuthorLog(1);
        List<Entry> posts = author.Posts(200);
        var chains = new ChainStore(new MemoryEntryStore());
        chains.AddContact(Profile.Of(author.Identity, "a", null));
        for (int i = 99; i < 120; i++)
        {
            chains.Accept(posts[i]);
        }

        SequenceRange[] wants = SyncPlanner.Wants(chains, [new ChainHead(author.Identity.Id, 0, 200, new byte[8])], allChains: false);
        Assert.Equal([(121u, 184u), (185u, 200u), (0u, 63u), (64u, 99u)], wants.Select(r => (r.From, r.To)));
    }

    // After a restore the node wrote a resume entry past every sequence the old device had used (docs/protocol.md §8.3):
    // nothing it holds below that differs from what the old device wrote, and its next entry comes after the resume.
    private static void AssertResumedPast(MessengerNode before, MessengerNode restored, uint nextBefore)
    {
        string layout = string.Join(",", Enumerable.Range(0, (int)nextBefore).Select(i => restored.Chains.Store.Get(restored.Id, (uint)i)?.Entry.Kind.ToString() ?? "-"))
            + " / " + string.Join(",", Enumerable.Range(0, (int)nextBefore).Select(i => before.Chains.Store.Get(before.Id, (uint)i)?.Entry.Kind.ToString() ?? "-"));
        Entry? resume = restored.Chains.Store.Get(restored.Id, nextBefore + LocalChain.ResumeSkip)?.Entry;
        Assert.True(resume != null && resume.Kind == EntryKind.Resume, layout);
        Assert.Equal(nextBefore - 1, EntryCodec.LinkedSequence(resume!));
        Assert.True(restored.OwnChain.NextSequence > nextBefore + LocalChain.ResumeSkip, layout);
        for (uint s = 0; s < nextBefore + LocalChain.ResumeSkip; s++)
        {
            byte[]? now = restored.Chains.HashOf(restored.Id, s);
            Assert.True(now == null || now.AsSpan().SequenceEqual(before.Chains.HashOf(before.Id, s)), "sequence " + s + " signed again: " + layout);
        }
    }
}
