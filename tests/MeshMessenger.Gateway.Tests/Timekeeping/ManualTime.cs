namespace MeshMessenger.Gateway.Tests.Timekeeping;

/// <summary>The system clock as a test sets it: wall time and the monotonic timestamp move only when told.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    private long _ticks = 1_000_000;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Real time passes: wall and monotonic clocks move together.</summary>
    public void Advance(TimeSpan by)
    {
        _now += by;
        _ticks += by.Ticks;
    }

    /// <summary>The wall clock is set (by NTP, by hand, by a reboot): the monotonic clock does not move.</summary>
    public void Set(DateTimeOffset wall) => _now = wall;
}
