using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>An archive's pull of the entries it missed on air (docs/protocol.md §8.5): which range, of whom, and its bounds.</summary>
public sealed class ArchivePullTests
{
    private static (AuthorLog Log, MemoryEntryStore Store, List<Entry> Entries) Chain(byte fill, int posts)
    {
        var log = new AuthorLog(fill);
        var entries = new List<Entry> { log.Genesis };
        entries.AddRange(log.Posts(posts));
        return (log, new MemoryEntryStore(), entries);
    }

    private static void Hold(MemoryEntryStore store, List<Entry> entries, params int[] sequences)
    {
        foreach (int s in sequences)
        {
            store.Put(new StoredEntry(entries[s], new byte[32]));
        }
    }

    [Fact]
    public void A_hole_in_a_held_chain_is_asked_of_the_author_heard_first_hand()
    {
        var (log, store, entries) = Chain(1, 12);
        Hold(store, entries, 0, 1, 2, 12);
        uint author = log.Identity.Id;
        var pull = new ArchivePull();
        pull.NoteEntry(author, 0x33); // relayed by a neighbour first
        pull.NoteEntry(author, NodeId.HintOf(author)); // then heard from the author: it holds the whole chain
        pull.NoteEntry(author, 0x44); // a later relay does not replace the author

        Assert.True(pull.Next(store, out SequenceRange range, out byte via));
        Assert.Equal((author, 3u, 3u + ArchivePull.MaxRangeLength - 1), (range.Author, range.From, range.To)); // capped
        Assert.Equal(NodeId.HintOf(author), via);
    }

    [Fact]
    public void A_spoofed_first_hand_copy_does_not_take_every_ask_from_the_relay_that_carries_the_author()
    {
        // Hostile: the relay byte is not signed, so one copy of an author's entry sent with relay byte = the author's
        // hint (a spoofer, or the author once heard at the edge of range) marks it first-hand. The neighbour that
        // keeps carrying the author's entries must still be asked, every other ask.
        var (log, store, entries) = Chain(1, 4);
        Hold(store, entries, 0, 4);
        uint author = log.Identity.Id;
        var pull = new ArchivePull();
        pull.NoteEntry(author, NodeId.HintOf(author));
        pull.NoteEntry(author, 0x44);

        var vias = new List<byte>();
        while (pull.Next(store, out _, out byte via))
        {
            vias.Add(via);
        }

        Assert.Equal([NodeId.HintOf(author), (byte)0x44, NodeId.HintOf(author), (byte)0x44], vias);
    }

    [Fact]
    public void A_chain_held_from_past_its_start_is_asked_from_sequence_zero_and_a_complete_one_is_not_asked()
    {
        var (late, store, lateEntries) = Chain(2, 4);
        var (whole, _, wholeEntries) = Chain(3, 3);
        Hold(store, lateEntries, 3, 4);
        Hold(store, wholeEntries, 0, 1, 2, 3);
        var pull = new ArchivePull();
        pull.NoteEntry(whole.Identity.Id, 0x10);
        pull.NoteEntry(late.Identity.Id, 0x20);

        Assert.True(pull.Next(store, out SequenceRange range, out byte via));
        Assert.Equal((late.Identity.Id, 0u, 2u), (range.Author, range.From, range.To));
        Assert.Equal(0x20, via);
    }

    [Fact]
    public void An_author_is_asked_at_most_MaxAsks_times_until_a_new_entry_of_it_is_heard()
    {
        var (log, store, entries) = Chain(4, 3);
        Hold(store, entries, 0, 3);
        uint author = log.Identity.Id;
        var pull = new ArchivePull();
        pull.NoteEntry(author, 0x21);
        for (int i = 0; i < ArchivePull.MaxAsks; i++)
        {
            Assert.True(pull.Next(store, out _, out _));
        }

        Assert.False(pull.Next(store, out _, out _)); // nobody answered: stop asking
        pull.NoteEntry(author, 0x21);
        Assert.True(pull.Next(store, out SequenceRange range, out _));
        Assert.Equal((1u, 2u), (range.From, range.To));

        Hold(store, entries, 1, 2);
        pull.NoteEntry(author, 0x21);
        Assert.False(pull.Next(store, out _, out _)); // the hole is filled
    }

    [Fact]
    public void Authors_take_turns_and_the_table_is_capped()
    {
        var (a, store, aEntries) = Chain(5, 2);
        var (b, _, bEntries) = Chain(6, 2);
        Hold(store, aEntries, 0, 2);
        Hold(store, bEntries, 0, 2);
        var pull = new ArchivePull();
        pull.NoteEntry(a.Identity.Id, 1);
        pull.NoteEntry(b.Identity.Id, 2);
        Assert.True(pull.Next(store, out SequenceRange first, out _));
        Assert.True(pull.Next(store, out SequenceRange second, out _));
        Assert.NotEqual(first.Author, second.Author); // one silent author does not starve the others

        for (uint id = 1000; id < 1000 + ArchivePull.MaxAuthors + 10; id++)
        {
            pull.NoteEntry(id, 9);
        }

        Assert.Equal(ArchivePull.MaxAuthors, pull.Count);
    }

    [Fact]
    public void Authors_heard_after_the_table_filled_are_still_pulled_and_the_table_stays_capped()
    {
        var store = new MemoryEntryStore();
        var pull = new ArchivePull();
        uint filler = 5000;
        for (int round = 0; round < 4; round++)
        {
            for (int i = 0; i < ArchivePull.MaxAuthors + 44; i++)
            {
                pull.NoteEntry(filler++, 9); // authors whose chains are whole here (none held): nothing to ask
                Assert.True(pull.Count <= ArchivePull.MaxAuthors);
            }

            var (log, _, entries) = Chain((byte)(20 + round), 3);
            Hold(store, entries, 0, 3);
            pull.NoteEntry(log.Identity.Id, 0x40);
            Assert.Equal(ArchivePull.MaxAuthors, pull.Count);
            Assert.True(pull.Next(store, out SequenceRange range, out byte via), "round " + round);
            Assert.Equal((log.Identity.Id, 1u, 2u, (byte)0x40), (range.Author, range.From, range.To, via));
        }
    }

    [Fact]
    public void A_new_author_takes_the_place_of_the_one_noted_longest_ago()
    {
        var (old, store, oldEntries) = Chain(7, 2);
        var (kept, _, keptEntries) = Chain(8, 2);
        var (fresh, _, freshEntries) = Chain(9, 2);
        Hold(store, oldEntries, 0, 2);
        Hold(store, keptEntries, 0, 2);
        Hold(store, freshEntries, 0, 2);
        var pull = new ArchivePull();
        pull.NoteEntry(old.Identity.Id, 1);
        pull.NoteEntry(kept.Identity.Id, 2);
        for (uint id = 1; pull.Count < ArchivePull.MaxAuthors; id++)
        {
            pull.NoteEntry(id, 9);
        }

        while (pull.Next(store, out _, out _))
        {
            // every author has its turn (old and kept are asked MaxAsks times)
        }

        pull.NoteEntry(kept.Identity.Id, 2); // heard again: now the most recent
        pull.NoteEntry(fresh.Identity.Id, 3); // full: of those that had their turn, the one noted longest ago (old) makes room

        var asked = new HashSet<uint>();
        while (pull.Next(store, out SequenceRange range, out _))
        {
            asked.Add(range.Author);
        }

        Assert.Equal(new HashSet<uint> { kept.Identity.Id, fresh.Identity.Id }, asked);
        Assert.Equal(ArchivePull.MaxAuthors, pull.Count);

        pull.NoteEntry(old.Identity.Id, 1); // heard again: remembered again, in place of the oldest filler
        Assert.True(pull.Next(store, out SequenceRange again, out byte via));
        Assert.Equal((old.Identity.Id, (byte)1), (again.Author, via));
    }

    [Fact]
    public void A_flood_of_new_authors_cannot_evict_an_author_before_its_turn()
    {
        // Hostile: an attacker keeps its own authors freshly noted (new signed entries, each with something to ask)
        // and adds one new author per pull. The real author noted before is the one noted longest ago; it must still
        // get its want rather than be pushed out before the cursor reaches it.
        var store = new MemoryEntryStore(2 * ArchivePull.MaxAuthors, 4);
        var pull = new ArchivePull();
        var occupiers = new List<uint>();
        for (byte fill = 1; fill < ArchivePull.MaxAuthors - 1; fill++)
        {
            var (log, _, entries) = Chain(fill, 1);
            Hold(store, entries, 1); // sequence 0 missing: every occupier has a range to ask
            occupiers.Add(log.Identity.Id);
            pull.NoteEntry(log.Identity.Id, fill);
        }

        var (real, _, realEntries) = Chain(255, 2);
        Hold(store, realEntries, 0, 2);
        pull.NoteEntry(real.Identity.Id, 0x40);
        pull.NoteEntry(900_000, 9);
        Assert.Equal(ArchivePull.MaxAuthors, pull.Count);

        bool asked = false;
        for (uint step = 0; step < 2 * ArchivePull.MaxAuthors && !asked; step++)
        {
            Assert.True(pull.Next(store, out SequenceRange range, out byte via));
            asked = range.Author == real.Identity.Id;
            if (asked)
            {
                Assert.Equal((1u, 1u, (byte)0x40), (range.From, range.To, via));
            }

            foreach (uint occupier in occupiers)
            {
                pull.NoteEntry(occupier, 7);
            }

            pull.NoteEntry(1_000_000 + step, 7); // one new author per pull
            Assert.Equal(ArchivePull.MaxAuthors, pull.Count);
        }

        Assert.True(asked, "the real author was evicted before its turn");
    }
}
