using System;
using System.Diagnostics;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Device.Host;

/// <summary>The machine's clocks: a stopwatch for monotonic time, UTC for entry time.</summary>
public sealed class SystemClock : IClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    /// <inheritdoc />
    public long MonotonicMilliseconds => _watch.ElapsedMilliseconds;

    /// <inheritdoc />
    public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
}
