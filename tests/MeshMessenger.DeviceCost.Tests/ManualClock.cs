using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.DeviceCost;

/// <summary>A clock the bench moves by hand.</summary>
public sealed class ManualClock : IClock
{
    /// <inheritdoc />
    public long MonotonicMilliseconds { get; set; }

    /// <inheritdoc />
    public uint EntrySeconds => 60_000_000 + (uint)(MonotonicMilliseconds / 1000);
}
