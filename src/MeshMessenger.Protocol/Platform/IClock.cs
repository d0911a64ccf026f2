namespace MeshMessenger.Protocol.Platform;

/// <summary>
/// Time, supplied by the platform. Boards may have no real-time clock, so wall time is only a hint on
/// entries (ordering is by sequence number); timeouts use the monotonic milliseconds.
/// </summary>
public interface IClock
{
    /// <summary>Monotonic milliseconds since an arbitrary start; never goes backwards.</summary>
    long MonotonicMilliseconds { get; }

    /// <summary>Seconds since 2025-01-01T00:00:00Z (<see cref="Chain.EntryTime"/>), or 0 when the device does not know the time.</summary>
    uint EntrySeconds { get; }
}
