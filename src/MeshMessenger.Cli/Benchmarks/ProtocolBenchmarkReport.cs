namespace MeshMessenger.Cli.Benchmarks;

/// <summary>What <c>meshmsg bench protocol</c> writes as JSON.</summary>
public sealed record ProtocolBenchmarkReport(
    DateTimeOffset StartedAt,
    string Machine,
    int ProcessorCount,
    string Runtime,
    int SingleFrameTextBytes,
    int DirectMessageFrameBytes,
    IReadOnlyList<ProtocolBenchmarkRow> Rows);
