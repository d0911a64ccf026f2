namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// A policy's restore figures over n seeds (<see cref="RestoreStudy"/>): restore %, sync airtime (s) and time to
/// restore (s), the worst restore %, how many seeds ended with a lower next sequence than before (a sequence that
/// would be reused) and the forks others saw.
/// </summary>
public sealed record RestoreSummary(
    string Policy,
    int N,
    Spread RestorePercent,
    Spread AirtimeSeconds,
    Spread RestoreSeconds,
    double WorstRestorePercent,
    int SequenceRegressions,
    int Forks);
