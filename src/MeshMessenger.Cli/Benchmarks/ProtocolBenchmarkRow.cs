namespace MeshMessenger.Cli.Benchmarks;

/// <summary>One protocol operation, in operations per second on one thread.</summary>
public sealed record ProtocolBenchmarkRow(string Operation, double PerSecond);
