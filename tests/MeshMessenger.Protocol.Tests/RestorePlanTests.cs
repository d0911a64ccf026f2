using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>The restore's extra rounds (docs/protocol.md §8.3): what is known missing, how it is packed, and the backoff.</summary>
public sealed class RestorePlanTests
{
    [Fact]
    public void Missing_sequences_merge_into_ranges_and_the_list_is_capped()
    {
        var ranges = new ArrayList();
        Assert.True(RestorePlan.AddMissing(ranges, 7, 3, 2));
        Assert.True(RestorePlan.AddMissing(ranges, 7, 4, 2)); // continues 3
        Assert.True(RestorePlan.AddMissing(ranges, 7, 9, 2)); // a gap: a second range
        Assert.False(RestorePlan.AddMissing(ranges, 8, 0, 2)); // full
        Assert.True(RestorePlan.AddMissing(ranges, 7, 10, 2)); // still extends the last range

        Assert.Equal(2, ranges.Count);
        var first = (SequenceRange)ranges[0]!;
        var second = (SequenceRange)ranges[1]!;
        Assert.Equal((7u, 3u, 4u), (first.Author, first.From, first.To));
        Assert.Equal((7u, 9u, 10u), (second.Author, second.From, second.To));
    }

    [Fact]
    public void A_missing_range_never_grows_past_what_one_want_may_ask()
    {
        var ranges = new ArrayList();
        for (uint s = 0; s <= WantMessage.MaxRangeLength; s++)
        {
            Assert.True(RestorePlan.AddMissing(ranges, 5, s, 4));
        }

        Assert.Equal(2, ranges.Count);
        Assert.Equal(WantMessage.MaxRangeLength, ((SequenceRange)ranges[0]!).Length);
    }

    [Fact]
    public void The_own_chain_is_asked_by_relayed_want_in_each_base_round_up_to_its_cap_other_chains_three_times()
    {
        // Own entries past the highest sequence known are held by their recipients alone, and a relayed want is the only
        // ask that reaches them before the head is confirmed; the emulator's answers to it were lost to collisions (§8.3).
        const uint Self = 42;
        var plan = new RestorePlan(16);
        var chains = new ChainStore(new MemoryEntryStore());
        int own = 0;
        while (!plan.Done)
        {
            plan.NextRound();
            foreach (RelayedWant want in plan.RelayedWants(chains, Self, true))
            {
                own += want.Ranges.Count(r => r.Author == Self && r.From == 0);
            }
        }

        Assert.Equal(RestorePlan.OwnRelayedAsks, own);
        Assert.True(RestorePlan.OwnRelayedAsks > RestorePlan.RelayedAsks);
    }

    [Fact]
    public void Extra_rounds_back_off_and_end()
    {
        var plan = new RestorePlan(16);
        var asking = new List<int>();
        while (!plan.Exhausted)
        {
            plan.NextRound();
            if (plan.AsksThisRound())
            {
                asking.Add(plan.Round);
            }
        }

        int r = RestorePlan.Rounds;
        Assert.Equal(RestorePlan.Rounds + RestorePlan.ExtraRounds, plan.Round);
        Assert.Equal(Enumerable.Range(1, r).Concat([r + 1, r + 2, r + 3, r + 5, r + 7, r + 10, r + 13, r + 17, r + 21, r + 26, r + 31]), asking);
    }

    [Fact]
    public void What_heads_showed_stays_missing_until_held_and_relayed_wants_carry_exactly_it()
    {
        var plan = new RestorePlan(16);
        plan.NoteHead(new ChainHead(9, 2, 4, new byte[EntryCodec.LinkSize]), 0x21);
        plan.NoteHead(new ChainHead(9, 0, 3, new byte[EntryCodec.LinkSize]), 0x22); // widens to 0..4
        plan.NoteHead(new ChainHead(6, 1, 1, new byte[EntryCodec.LinkSize]), 0x21);
        var ranges = new ArrayList();
        plan.AddAdvertisedMissing(new MemoryEntryStore(), ranges, RestorePlan.MaxMissing, false);

        Assert.Equal(2, ranges.Count);
        Assert.Equal((9u, 0u, 4u), (((SequenceRange)ranges[0]!).Author, ((SequenceRange)ranges[0]!).From, ((SequenceRange)ranges[0]!).To));
        Assert.Equal((6u, 1u, 1u), (((SequenceRange)ranges[1]!).Author, ((SequenceRange)ranges[1]!).From, ((SequenceRange)ranges[1]!).To));

        RelayedWant[] wants = plan.MissingWants(ranges, 42);
        RelayedWant want = Assert.Single(wants);
        Assert.Equal(42u, want.Asker);
        Assert.Equal(2, want.Ranges.Length);
    }

    [Fact]
    public void An_advertised_run_that_never_fills_is_asked_for_a_bounded_number_of_times_and_authors_take_turns()
    {
        var plan = new RestorePlan(16);
        plan.NoteHead(new ChainHead(9, 0, 40, new byte[EntryCodec.LinkSize]), 0x21); // nothing of it held
        plan.NoteHead(new ChainHead(6, 0, 0, new byte[EntryCodec.LinkSize]), 0x21);
        var store = new MemoryEntryStore();
        var firsts = new List<uint>();
        for (int ask = 0; ask < 2 * RestorePlan.AdvertisedAsks; ask++)
        {
            var ranges = new ArrayList();
            plan.AddAdvertisedMissing(store, ranges, 1, true);
            if (ranges.Count > 0)
            {
                firsts.Add(((SequenceRange)ranges[0]!).Author);
            }
        }

        // Both authors lead in turn (author 6 is not crowded out by author 9's run), each asked for 3 times at most,
        // then nothing is known missing.
        Assert.Contains(6u, firsts);
        Assert.Contains(9u, firsts);
        var last = new ArrayList();
        plan.AddAdvertisedMissing(store, last, RestorePlan.MaxMissing, false);
        Assert.Empty(last);
    }

    [Fact]
    public void A_neighbour_is_asked_again_while_fewer_heads_frames_came_back_than_question_frames_went_to_it()
    {
        // A plain neighbour answers each question frame with one heads frame; where an archive's answers drown it, some of
        // those are lost, and the authors they listed were never known missing (the emulator's wipe-home-gateway-30).
        var plan = new RestorePlan(16);
        plan.Neighbours.NoteHeads(0x41, 5, false); // its heads heard before it was asked: they answer nothing
        plan.Neighbours.NoteHeads(0x42, 5, false);
        Assert.Equal(0x41, plan.Neighbours.Unquestioned()); // never asked yet, in the order heard
        plan.Neighbours.NoteQuestioned(0x41, 2);
        Assert.Equal(0x42, plan.Neighbours.Unquestioned());
        plan.Neighbours.NoteQuestioned(0x42, 2);

        // 0x42 answers both frames: done. 0x41 answers one of two: asked again, at most UnansweredQuestions rounds in all.
        plan.Neighbours.NoteHeads(0x42, 3, false);
        plan.Neighbours.NoteHeads(0x42, 3, false);
        plan.Neighbours.NoteHeads(0x41, 3, false);
        var again = new List<byte>();
        for (byte hint = plan.Neighbours.Unquestioned(); hint != 0 && again.Count < 10; hint = plan.Neighbours.Unquestioned())
        {
            again.Add(hint);
            plan.Neighbours.NoteQuestioned(hint, 2);
        }

        Assert.Equal(Enumerable.Repeat((byte)0x41, RestoreNeighbours.UnansweredQuestions - 1), again);
    }

    [Fact]
    public void A_neighbour_asked_with_no_question_frame_is_not_asked_again()
    {
        // No known author: the round sent it nothing to answer, so no answer is missing.
        var plan = new RestorePlan(16);
        plan.Neighbours.Note(0x41, 0);
        plan.Neighbours.NoteQuestioned(plan.Neighbours.Unquestioned(), 0);
        Assert.Equal(0, plan.Neighbours.Unquestioned());
    }
}
