namespace MeshMessenger.Cli.Benchmarks;

/// <summary>One sweep point's cost (named <c>plan-pathloss-load-nodes</c>) in <see cref="SweepBenchmarkReport"/>: its runs, their summed wall time and events, and its share of the sweep's run time.</summary>
public sealed record SweepPointCost(
    string Point,
    int Nodes,
    double SimulatedMinutes,
    int Runs,
    double RunSeconds,
    long Events,
    double SharePercent);
