using MeshMessenger.Emulator.Metrics;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// The figures of one payment type over the runs: the parts on air, their totals, and the simulated seconds from the
/// tap to the gateway's Accepted and to the author's feed showing the tip confirmed. Every statistic states its n.
/// </summary>
public sealed record PaymentTypeFigures(
    string Type,
    string Chain,
    double BlockSeconds,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<PaymentPartFigure> Parts,
    Spread TotalBytes,
    Spread TotalAirtimeMs,
    Spread TapToAcceptedSeconds,
    Spread TapToConfirmedSeconds);
