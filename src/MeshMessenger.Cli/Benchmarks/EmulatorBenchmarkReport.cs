namespace MeshMessenger.Cli.Benchmarks;

/// <summary>What <c>meshmsg bench emulator</c> writes as JSON: how fast the emulator runs a large mesh.</summary>
public sealed record EmulatorBenchmarkReport(
    DateTimeOffset StartedAt,
    string Machine,
    int ProcessorCount,
    string Runtime,
    string Scenario,
    string Policy,
    int Nodes,
    string Preset,
    double SimulatedMinutes,
    double WallSeconds,
    double SpeedUp,
    long Events,
    double EventsPerSecond,
    long FramesSent,
    long SignaturesVerified,
    double PeakMemoryMb,
    double DmDeliveryPercent);
