using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Emulator.Tests;

/// <summary>A firmware clock the test moves by hand.</summary>
internal sealed class ManualClock : IClock
{
    public long MonotonicMilliseconds { get; set; }

    public uint EntrySeconds => 60_000_000;
}
