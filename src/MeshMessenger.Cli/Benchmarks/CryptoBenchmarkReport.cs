namespace MeshMessenger.Cli.Benchmarks;

/// <summary>What <c>meshmsg bench crypto</c> writes as JSON.</summary>
public sealed record CryptoBenchmarkReport(
    DateTimeOffset StartedAt,
    string Machine,
    int ProcessorCount,
    string Runtime,
    double SecondsPerMeasurement,
    IReadOnlyList<CryptoBenchmarkRow> Rows);
