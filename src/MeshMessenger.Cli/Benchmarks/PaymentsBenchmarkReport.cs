namespace MeshMessenger.Cli.Benchmarks;

/// <summary>What <c>meshmsg bench payments</c> writes as JSON: the radio cost and the delay of a tip over the emulated mesh, per payment type.</summary>
public sealed record PaymentsBenchmarkReport(
    DateTimeOffset StartedAt,
    string Machine,
    int ProcessorCount,
    string Runtime,
    string Preset,
    string Region,
    string Policy,
    int PayerHopsToGateway,
    double GatewayPollSeconds,
    int Runs,
    IReadOnlyList<PaymentTypeFigures> Types);
