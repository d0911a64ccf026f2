namespace MeshMessenger.Emulator.Payments;

/// <summary>The emulation's simulated clock as a <see cref="TimeProvider"/> (the gateway relay's rate limits count simulated minutes).</summary>
internal sealed class SimulatedTimeProvider(Emulation emulation) : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Start.AddMilliseconds(emulation.NowMs);
}
