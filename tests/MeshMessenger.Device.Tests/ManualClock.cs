using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Device.Tests;

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock : IClock
{
    public long MonotonicMilliseconds { get; set; }

    public uint EntrySeconds { get; set; } = 1000;
}
