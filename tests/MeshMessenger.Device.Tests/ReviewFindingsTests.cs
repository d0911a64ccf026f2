using MeshMessenger.Device.Storage;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Device.Tests;

/// <summary>Review findings: each test fails on main and names the defect it shows.</summary>
public sealed class ReviewFindingsTests
{
    private static readonly List<StoredEntry> Entries = TestEntries.Make(3, 4); // 15 signed entries

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

    [Fact]
    public void Eviction_at_the_cap_never_drops_an_authors_only_entry()
    {
        // docs/firmware.md: "Every author keeps its newest entries, the device's own head included, so a full device
        // ... never reuses a sequence number after a restart". With more authors than slots every run is 1 long and
        // EvictOne drops the lowest author's only entry: its head. If that author is the device itself,
        // LocalChain.NextSequence falls back to 0 and the device signs a second entry 0 (a fork of its own chain).
        List<StoredEntry> genesis = TestEntries.Make(4, 0); // 4 authors, one entry each
        var store = new FlashEntryStore(new MemoryFlash(), "e", 3);
        genesis.ForEach(store.Put);
        foreach (StoredEntry e in genesis)
        {
            Assert.True(store.TryGetRange(e.Entry.Author, out _, out _), $"author {e.Entry.Author:x8} lost its head");
        }
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
}
