using MeshMessenger.Device.Storage;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Device.Tests;

/// <summary>Review: power lost at every byte of a put that evicts at the cap reopens to the index before or after it.</summary>
public sealed class ReviewEvictionPowerTests
{
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
}
