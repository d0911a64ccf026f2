namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// Entry timestamps: unsigned seconds since 2025-01-01T00:00:00Z (good until 2161), 0 when the device has
/// no clock. A hint for display only; order comes from sequence numbers.
/// </summary>
public static class EntryTime
{
    /// <summary>The epoch as Unix seconds (2025-01-01T00:00:00Z).</summary>
    public const long EpochUnixSeconds = 1735689600;

    /// <summary>Entry seconds from Unix seconds (0 before the epoch).</summary>
    public static uint FromUnixSeconds(long unixSeconds)
    {
        long s = unixSeconds - EpochUnixSeconds;
        if (s <= 0)
        {
            return 0;
        }

        return s > uint.MaxValue ? uint.MaxValue : (uint)s;
    }

    /// <summary>Unix seconds from entry seconds (0 stays 0, meaning unknown).</summary>
    public static long ToUnixSeconds(uint entrySeconds)
    {
        return entrySeconds == 0 ? 0 : EpochUnixSeconds + entrySeconds;
    }
}
