using MeshMessenger.Emulator.Metrics;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>One radio mode's figures over the seeds of a <see cref="ChipModeBenchmarkReport"/>.</summary>
/// <param name="Radio">"medium", "sx1262" or "sx1276".</param>
/// <param name="DmDeliveryPercent">Direct messages delivered to their recipient, percent.</param>
/// <param name="ReachabilityPercent">Mean share of devices each channel post reached, percent.</param>
/// <param name="TotalAirtimeSeconds">All devices' transmit time.</param>
/// <param name="FramesSent">Frames put on air.</param>
/// <param name="WallSeconds">Wall time of one run.</param>
/// <param name="SlowdownOverMedium">Wall time over the medium run's with the same seed (1 for the medium itself).</param>
public sealed record ChipModeRadioFigures(
    string Radio,
    Spread DmDeliveryPercent,
    Spread ReachabilityPercent,
    Spread TotalAirtimeSeconds,
    Spread FramesSent,
    Spread WallSeconds,
    Spread SlowdownOverMedium);
