using System;
using System.Diagnostics;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Browser;

/// <summary>The page's clock: wall time for entry times, a stopwatch for timeouts.</summary>
internal sealed class BrowserClock : IClock
{
    private readonly Stopwatch _since = Stopwatch.StartNew();

    /// <inheritdoc />
    public long MonotonicMilliseconds => _since.ElapsedMilliseconds;

    /// <inheritdoc />
    public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
}
