using MeshMessenger.Gateway.Timekeeping;

namespace MeshMessenger.Gateway.Tests.Timekeeping;

/// <summary>What the kernel would say about synchronisation, as the test sets it.</summary>
internal sealed class FakeSync(bool synchronized) : IClockSyncState
{
    public bool Synchronized { get; set; } = synchronized;

    public bool IsSynchronized() => Synchronized;
}
