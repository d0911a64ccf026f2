using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Emulator.Engine;

/// <summary>Every virtual device reads the event queue's time (one thread, so one clock serves all).</summary>
public sealed class SimulationClock(EventQueue events, uint startEntrySeconds) : IClock
{
    /// <inheritdoc />
    public long MonotonicMilliseconds => events.Now;

    /// <inheritdoc />
    public uint EntrySeconds => startEntrySeconds + (uint)(events.Now / 1000);
}
