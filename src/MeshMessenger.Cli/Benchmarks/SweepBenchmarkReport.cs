namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// What <c>meshmsg bench sweep</c> writes as JSON: the wall time of a whole sweep run from scratch on this machine,
/// and what each point cost (the sum of its runs' wall times, so the bottleneck shows).
/// </summary>
public sealed record SweepBenchmarkReport(
    DateTimeOffset StartedAt,
    string Machine,
    int ProcessorCount,
    string Runtime,
    string Command,
    int Parallel,
    int Runs,
    double WallSeconds,
    double RunSeconds,
    long Events,
    IReadOnlyList<SweepPointCost> Points);
