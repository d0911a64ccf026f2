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
}
