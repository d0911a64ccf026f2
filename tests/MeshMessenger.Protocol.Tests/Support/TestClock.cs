using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Protocol.Tests.Support;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class TestClock : IClock
{
    public long MonotonicMilliseconds { get; set; }

    public uint EntrySeconds { get; set; } = 60_000_000;
}
