using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Cli.Host;

/// <summary>A clock that moves only when told, so the demo prints the same bytes on every run.</summary>
public sealed class FixedClock(uint entrySeconds) : IClock
{
    /// <inheritdoc />
    public long MonotonicMilliseconds { get; set; }

    /// <inheritdoc />
    public uint EntrySeconds { get; set; } = entrySeconds;
}
