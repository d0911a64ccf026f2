using MeshMessenger.Device.Storage;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Device.Tests;

public sealed class FlashEntryStoreTests
{
    private static readonly List<StoredEntry> Entries = TestEntries.Make(3, 4); // 15 signed entries

    [Fact]
    public void Entries_survive_a_reopen_byte_for_byte()
    {
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        Assert.Equal(FlashStoreStatus.Created, store.Status);
        Entries.ForEach(store.Put);

        var reopened = new FlashEntryStore(flash, "e");
        Assert.Equal(FlashStoreStatus.Intact, reopened.Status);
        AssertHolds(reopened, Entries);
    }

    [Fact]
    public void Truncating_the_log_at_every_byte_of_the_last_write_keeps_every_earlier_entry_and_never_returns_a_torn_one()
    {
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        Entries.Take(Entries.Count - 1).ToList().ForEach(store.Put);
        int before = flash.Length("e.a");
        StoredEntry last = Entries[^1];
        store.Put(last);
        int after = flash.Length("e.a");
        Assert.True(after - before > 100);

        for (int cut = before; cut <= after; cut++)
        {
            MemoryFlash copy = flash.Snapshot();
            copy.Truncate("e.a", cut);
            var reopened = new FlashEntryStore(copy, "e");
            Assert.Equal(cut == before || cut == after ? FlashStoreStatus.Intact : FlashStoreStatus.TornTailDiscarded, reopened.Status);
            AssertHolds(reopened, cut == after ? Entries : Entries.Take(Entries.Count - 1).ToList());
            if (cut < after)
            {
                Assert.Null(reopened.Get(last.Entry.Author, last.Entry.Sequence));

                // The recovered log takes new writes and keeps them across another reopen.
                reopened.Put(last);
                AssertHolds(new FlashEntryStore(copy, "e"), Entries);
            }
        }
    }

    [Fact]
    public void A_flipped_byte_anywhere_in_the_last_record_is_detected_and_the_record_dropped()
    {
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        Entries.Take(Entries.Count - 1).ToList().ForEach(store.Put);
        int before = flash.Length("e.a");
        store.Put(Entries[^1]);
        int after = flash.Length("e.a");
        for (int at = before; at < after; at++)
        {
            MemoryFlash copy = flash.Snapshot();
            byte[] content = copy.Content("e.a");
            content[at] ^= 0x10;
            copy.Write("e.a", content);
            var reopened = new FlashEntryStore(copy, "e");
            AssertHolds(reopened, Entries.Take(Entries.Count - 1).ToList());
            Assert.Null(reopened.Get(Entries[^1].Entry.Author, Entries[^1].Entry.Sequence));
        }
    }

    [Fact]
    public void Power_lost_at_every_byte_of_a_compaction_leaves_every_entry_readable()
    {
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        Entries.ForEach(store.Put);
        Entries.Take(5).ToList().ForEach(store.Put); // rewrites: dead bytes for the compaction to drop
        MemoryFlash measure = flash.Snapshot();
        new FlashEntryStore(measure, "e").Compact();
        int compactedLength = measure.Length("e.b");
        Assert.True(compactedLength < flash.Length("e.a"));

        var outcomes = new HashSet<string>();
        for (int budget = 0; budget <= compactedLength; budget++)
        {
            MemoryFlash copy = flash.Snapshot();
            var open = new FlashEntryStore(copy, "e");
            copy.Budget = budget;
            try
            {
                open.Compact();
            }
            catch (IOException)
            {
                // power lost
            }

            copy.Budget = -1;
            var reopened = new FlashEntryStore(copy, "e");
            outcomes.Add(reopened.ActiveFile);
            AssertHolds(reopened, Entries);
            Assert.Single(copy.Names, n => n.StartsWith("e.", StringComparison.Ordinal));
        }

        // Both sides of the switch were exercised: the old file kept, and the new one taken.
        Assert.Equal(new HashSet<string> { "e.a", "e.b" }, outcomes);
    }

    [Fact]
    public void Power_lost_at_every_byte_of_a_put_keeps_the_earlier_entries_and_the_store_recovers()
    {
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        Entries.Take(Entries.Count - 1).ToList().ForEach(store.Put);
        MemoryFlash measure = flash.Snapshot();
        new FlashEntryStore(measure, "e").Put(Entries[^1]);
        int recordLength = measure.Length("e.a") - flash.Length("e.a");
        for (int budget = 0; budget < recordLength; budget++)
        {
            MemoryFlash copy = flash.Snapshot();
            var open = new FlashEntryStore(copy, "e");
            copy.Budget = budget;
            open.Put(Entries[^1]);
            copy.Budget = -1;
            Assert.Equal(1, open.WriteFailures);
            Assert.Equal(Entries.Count - 1, open.Count);
            open.Put(Entries[^1]); // compacts past the torn prefix, then writes
            AssertHolds(new FlashEntryStore(copy, "e"), Entries);
        }
    }

    [Fact]
    public void Garbage_files_open_as_an_empty_store_with_a_typed_status_and_never_throw()
    {
        var random = new Random(16);
        for (int i = 0; i < 200; i++)
        {
            var flash = new MemoryFlash();
            var junk = new byte[random.Next(0, 3000)];
            random.NextBytes(junk);
            flash.Write("e.a", junk);
            if (i % 2 == 0)
            {
                flash.Write("e.b", junk.Reverse().ToArray());
            }

            var store = new FlashEntryStore(flash, "e");
            Assert.Equal(FlashStoreStatus.UnreadableDiscarded, store.Status);
            Assert.Equal(0, store.Count);
            store.Put(Entries[0]);
            AssertHolds(new FlashEntryStore(flash, "e"), Entries.Take(1).ToList());
        }
    }

    [Fact]
    public void Junk_after_a_good_log_is_discarded()
    {
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        Entries.ForEach(store.Put);
        byte[] content = flash.Content("e.a");
        flash.Write("e.a", content.Concat(new byte[] { 0xA7, 2, 0xFF, 0x00, 1, 2, 3 }).ToArray());
        var reopened = new FlashEntryStore(flash, "e");
        Assert.Equal(FlashStoreStatus.TornTailDiscarded, reopened.Status);
        AssertHolds(reopened, Entries);
    }

    [Fact]
    public void At_the_cap_the_largest_authors_oldest_entry_makes_room_and_a_reopen_rebuilds_the_same_index()
    {
        // Entries: 3 authors, sequences 0..4 each, in author order.
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e", 6);
        Entries.ForEach(store.Put);
        Assert.Equal(6, store.Count);
        Assert.Equal(Entries.Count - 6, store.EvictedAtCapacity);

        // Every author keeps its newest entries, so no head is ever forgotten.
        foreach (uint author in Entries.Select(e => e.Entry.Author).Distinct())
        {
            uint newest = Entries.Where(e => e.Entry.Author == author).Max(e => e.Entry.Sequence);
            Assert.True(store.TryGetRange(author, out _, out uint high), $"author {author:x8} lost every entry");
            Assert.Equal(newest, high);
        }

        List<StoredEntry> held = Entries.Where(e => store.Get(e.Entry.Author, e.Entry.Sequence) is not null).ToList();
        Assert.Equal(6, held.Count);

        // A held entry put again updates in place: nothing more is evicted.
        int evicted = store.EvictedAtCapacity;
        store.Put(held[0]);
        Assert.Equal(evicted, store.EvictedAtCapacity);

        var reopened = new FlashEntryStore(flash, "e", 6);
        AssertHolds(reopened, held);
        Assert.Equal(6, reopened.Count);
    }

    [Fact]
    public void It_answers_as_the_memory_store_does_for_the_same_puts()
    {
        var random = new Random(7);
        var flash = new MemoryFlash();
        IEntryStore flashStore = new FlashEntryStore(flash, "e");
        IEntryStore memory = new MemoryEntryStore();
        foreach (StoredEntry entry in Entries.OrderBy(_ => random.Next()))
        {
            flashStore.Put(entry);
            memory.Put(entry);
        }

        foreach (IEntryStore store in new[] { flashStore, new FlashEntryStore(flash, "e") })
        {
            Assert.Equal(memory.Count, store.Count);
            Assert.Equal(memory.Authors().Order(), store.Authors().Order());
            foreach (uint author in memory.Authors())
            {
                Assert.True(store.TryGetRange(author, out uint low, out uint high));
                memory.TryGetRange(author, out uint mlow, out uint mhigh);
                Assert.Equal((mlow, mhigh), (low, high));
            }

            Assert.False(store.TryGetRange(12345, out _, out _));
            Assert.Null(store.Get(Entries[0].Entry.Author, 999));
        }
    }

    [Fact]
    public void Compaction_runs_by_itself_once_the_log_is_mostly_dead_bytes()
    {
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        Entries.ForEach(store.Put);
        for (int i = 0; i < 5000 && store.Compactions == 0; i++)
        {
            store.Put(Entries[i % Entries.Count]);
        }

        Assert.Equal(1, store.Compactions);
        Assert.True(store.FileLength < FlashEntryStore.CompactionThresholdBytes);
        AssertHolds(new FlashEntryStore(flash, "e"), Entries);
    }

    private static void AssertHolds(FlashEntryStore store, List<StoredEntry> expected)
    {
        Assert.Equal(expected.Count, store.Count);
        foreach (StoredEntry e in expected)
        {
            StoredEntry? got = store.Get(e.Entry.Author, e.Entry.Sequence);
            Assert.NotNull(got);
            Assert.Equal(e.Entry.Encoded, got.Entry.Encoded);
            Assert.Equal(e.Hash, got.Hash);
        }
    }
}
