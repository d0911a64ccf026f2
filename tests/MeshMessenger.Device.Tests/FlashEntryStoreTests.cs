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

    [Fact]
    public void The_log_stays_bounded_when_the_device_restarts_between_bursts_of_rewrites()
    {
        // Open() sets _liveBytes to the whole file, so every dead byte written before a restart counts as live after
        // it: compaction needs more new dead bytes than the whole file holds, and a device that restarts often grows
        // its log without bound (until flash is full).
        var flash = new MemoryFlash();
        new FlashEntryStore(flash, "e").Compact();
        for (int cycle = 0; cycle < 20; cycle++)
        {
            var store = new FlashEntryStore(flash, "e");
            for (int i = 0; i < 120; i++)
            {
                store.Put(Entries[i % Entries.Count]); // the same 15 entries: everything past the first copy is dead
            }
        }

        var last = new FlashEntryStore(flash, "e");
        Assert.Equal(Entries.Count, last.Count);
        Assert.True(last.FileLength < 2 * FlashEntryStore.CompactionThresholdBytes, $"log is {last.FileLength} bytes for {Entries.Count} live entries");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void When_every_author_holds_one_entry_another_authors_head_goes_and_the_devices_own_never(int own)
    {
        // 4 one-entry authors, 3 slots: one head must go. Without an own author the lowest id loses its only entry; if
        // that were the device itself it would sign a second entry 0 after a restart (a fork of its own chain).
        List<StoredEntry> genesis = TestEntries.Make(4, 0);
        uint ownId = genesis[own].Entry.Author;
        uint lowestOther = genesis.Select(e => e.Entry.Author).Where(a => a != ownId).Min();
        foreach (List<StoredEntry> order in new[] { genesis, Enumerable.Reverse(genesis).ToList() })
        {
            var flash = new MemoryFlash();
            var store = new FlashEntryStore(flash, "e", 3, ownId, FlashEntryStore.DefaultMaxLogBytes);
            order.ForEach(store.Put);
            foreach (FlashEntryStore s in new[] { store, new FlashEntryStore(flash, "e", 3, ownId, FlashEntryStore.DefaultMaxLogBytes) })
            {
                Assert.True(s.TryGetRange(ownId, out _, out _), "the device's own head was evicted");
                Assert.Equal(3, s.Count);
                Assert.Equal(genesis.Count(e => e.Entry.Author != ownId) - 1, genesis.Count(e => e.Entry.Author != ownId && s.TryGetRange(e.Entry.Author, out _, out _)));
            }

            Assert.True(store.TryGetRange(lowestOther, out _, out _) == (order[^1].Entry.Author == lowestOther), "the lowest other author goes (unless it just arrived after the eviction)");
        }
    }

    [Fact]
    public void A_run_of_two_or_more_gives_way_before_any_authors_only_entry()
    {
        List<StoredEntry> one = TestEntries.Make(4, 0); // 4 authors, sequence 0 each
        List<StoredEntry> two = TestEntries.Make(5, 1).Skip(8).ToList(); // a fifth author, sequences 0 and 1
        var store = new FlashEntryStore(new MemoryFlash(), "e", 5, one[0].Entry.Author, FlashEntryStore.DefaultMaxLogBytes);
        two.ForEach(store.Put);
        one.Take(3).ToList().ForEach(store.Put);
        store.Put(one[3]);
        Assert.Equal(1, store.EvictedAtCapacity);
        Assert.All(one, e => Assert.NotNull(store.Get(e.Entry.Author, 0)));
        Assert.Null(store.Get(two[0].Entry.Author, 0));
        Assert.NotNull(store.Get(two[0].Entry.Author, 1));
    }

    [Fact]
    public void The_own_head_is_refused_room_only_to_an_older_own_entry_when_nothing_else_can_go()
    {
        List<StoredEntry> mine = Entries.Where(e => e.Entry.Author == Entries[0].Entry.Author).ToList();
        var store = new FlashEntryStore(new MemoryFlash(), "e", 1, mine[0].Entry.Author, FlashEntryStore.DefaultMaxLogBytes);
        store.Put(mine[2]);
        store.Put(mine[1]); // older: refused, the head stays
        store.Put(TestEntries.Make(4, 0)[3]); // another author: refused
        Assert.Equal(2, store.Refused);
        Assert.NotNull(store.Get(mine[2].Entry.Author, 2));
        store.Put(mine[3]); // newer own entry: replaces the head
        Assert.NotNull(store.Get(mine[3].Entry.Author, 3));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void The_byte_cap_keeps_the_store_inside_a_partition_of_one_and_a_half_times_it_and_a_reopen_agrees()
    {
        // A flash that throws once full must never be hit: live bytes stay at most half the cap, so the log compacts
        // before passing the cap and the copy fits beside it.
        const int cap = 4 * 4105 + 500;
        List<StoredEntry> many = TestEntries.Make(40, 2); // 120 entries, about 20 KB
        uint own = many[0].Entry.Author;
        var flash = new MemoryFlash { Capacity = cap + cap / 2 };
        var store = new FlashEntryStore(flash, "e", FlashEntryStore.DefaultCapacity, own, cap);
        for (int round = 0; round < 3; round++)
        {
            foreach (StoredEntry e in many)
            {
                store.Put(e);
                Assert.True(flash.Length(store.ActiveFile) <= cap, $"log {flash.Length(store.ActiveFile)} > {cap}");
            }
        }

        Assert.Equal(0, flash.FullHits);
        Assert.Equal(0, store.WriteFailures);
        Assert.True(store.Compactions > 0);
        Assert.True(store.EvictedAtCapacity > 0 && store.Count < many.Count);
        Assert.True(store.TryGetRange(own, out _, out uint high) && high == 2, "own newest kept");
        var reopened = new FlashEntryStore(flash, "e", FlashEntryStore.DefaultCapacity, own, cap);
        Assert.Equal(0, flash.FullHits);
        Assert.Equal(store.Count, reopened.Count);
        Assert.All(many, e => Assert.Equal(store.Get(e.Entry.Author, e.Entry.Sequence) is null, reopened.Get(e.Entry.Author, e.Entry.Sequence) is null));
    }

    [Fact]
    public void A_store_whose_torn_tail_cannot_be_compacted_still_opens()
    {
        // Open() compacts a torn tail outside any try: if flash refuses the write (full, worn), the constructor throws
        // and DeviceProgram.Boot/Start with it, on every boot.
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        Entries.ForEach(store.Put);
        byte[] content = flash.Content("e.a");
        flash.Write("e.a", content.Take(content.Length - 3).ToArray()); // torn last record
        flash.Budget = 1; // flash takes almost nothing more
        Exception? thrown = Record.Exception(() => new FlashEntryStore(flash, "e"));
        Assert.Null(thrown);
    }

    [Fact]
    public void A_failed_compaction_inside_put_never_makes_get_return_another_entry()
    {
        // Compact() shifts _keys in place while it copies; _positions only at the end. If a record was unreadable
        // (skipped) and a later append throws, Put catches the exception and the store goes on with keys shifted
        // against positions: Get(k) then returns the entry stored for another key.
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e");
        var position = new Dictionary<StoredEntry, (int At, int Length)>();
        foreach (StoredEntry e in Entries)
        {
            int before = flash.Length("e.a");
            store.Put(e);
            position[e] = (before, flash.Length("e.a") - before);
        }

        List<StoredEntry> indexOrder = Entries.OrderBy(e => e.Entry.Author).ThenBy(e => e.Entry.Sequence).ToList();
        StoredEntry damaged = indexOrder[3];
        byte[] content = flash.Content("e.a");
        content[position[damaged].At + 20] ^= 0x01; // bit rot in one record the index still points at
        flash.Write("e.a", content);

        flash.Budget = 0;
        store.Put(TestEntries.Make(4, 0)[3]); // write fails: dirty tail, the next put compacts first
        Assert.Equal(1, store.WriteFailures);

        // The compaction copies index slots 0,1,2,(3 skipped),4,5 and loses power on slot 6.
        flash.Budget = 13 + position[indexOrder[0]].Length + position[indexOrder[1]].Length + position[indexOrder[2]].Length
            + position[indexOrder[4]].Length + position[indexOrder[5]].Length + 1;
        store.Put(TestEntries.Make(4, 0)[3]);
        flash.Budget = -1;
        Assert.Equal(2, store.WriteFailures);

        foreach (StoredEntry e in Entries)
        {
            StoredEntry? got = store.Get(e.Entry.Author, e.Entry.Sequence);
            Assert.True(got is null || got.Entry.Encoded.SequenceEqual(e.Entry.Encoded), $"Get({e.Entry.Author:x8}, {e.Entry.Sequence}) returned ({got?.Entry.Author:x8}, {got?.Entry.Sequence})");
        }
    }
    [Fact]
    public void Power_lost_at_every_byte_of_an_evicting_put_reopens_to_the_index_before_or_after_it()
    {
        List<StoredEntry> entries = TestEntries.Make(3, 4);
        var flash = new MemoryFlash();
        var store = new FlashEntryStore(flash, "e", 6);
        entries.Take(entries.Count - 1).ToList().ForEach(store.Put);
        string before = Index(new FlashEntryStore(flash.Snapshot(), "e", 6), entries);
        MemoryFlash done = flash.Snapshot();
        var whole = new FlashEntryStore(done, "e", 6);
        whole.Put(entries[^1]);
        string after = Index(whole, entries);
        Assert.Equal(after, Index(new FlashEntryStore(done.Snapshot(), "e", 6), entries));
        Assert.NotEqual(before, after);
        int record = done.Length("e.a") - flash.Length("e.a");
        for (int budget = 0; budget <= record; budget++)
        {
            MemoryFlash copy = flash.Snapshot();
            var open = new FlashEntryStore(copy, "e", 6);
            copy.Budget = budget;
            open.Put(entries[^1]);
            copy.Budget = -1;
            string reopened = Index(new FlashEntryStore(copy, "e", 6), entries);
            Assert.True(reopened == before || reopened == after, $"budget {budget}: {reopened}");
            open.Put(entries[^1]); // the live store recovers and agrees with a replay
            Assert.Equal(Index(open, entries), Index(new FlashEntryStore(copy, "e", 6), entries));
        }
    }

    private static string Index(FlashEntryStore store, List<StoredEntry> all) =>
        string.Join(",", all.Where(e => store.Get(e.Entry.Author, e.Entry.Sequence) is not null).Select(e => $"{e.Entry.Author:x8}/{e.Entry.Sequence}"));

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
