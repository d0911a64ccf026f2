namespace MeshMessenger.Device.Storage;

/// <summary>What <see cref="FlashEntryStore"/> found when it opened its files.</summary>
public enum FlashStoreStatus
{
    /// <summary>No files: a new, empty store was created.</summary>
    Created = 0,

    /// <summary>The log was intact.</summary>
    Intact = 1,

    /// <summary>The log ended in a torn or corrupt record (power lost during a write); everything before it was kept.</summary>
    TornTailDiscarded = 2,

    /// <summary>A compaction had not finished (its new file was not sealed); the old file was kept.</summary>
    UnfinishedCompactionDiscarded = 3,

    /// <summary>No file held a valid header: they were unreadable, so the store started empty (the chains come back by sync).</summary>
    UnreadableDiscarded = 4,
}
