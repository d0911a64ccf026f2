namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// A policy's restore figures over n seeds (<see cref="RestoreStudy"/>): restore %, sync airtime (s) and time to
/// restore (s), the worst restore %, how many runs reused a sequence number another device holds
/// (<see cref="WipeReport.ReusedSequences"/>), the forks others saw, how many ended with the head still unconfirmed
/// (read-only), how many signed again a sequence whose first entry nobody else held (<see cref="WipeReport.ReusedUnseen"/>),
/// the restorable % (<see cref="WipeReport.RestorablePercent"/>), the missing messages summed by who else holds them, and
/// the time until the device could send again over the runs where it could (<see cref="WipeReport.WritableSeconds"/>;
/// null if in none).
/// </summary>
public sealed record RestoreSummary(
    string Policy,
    int N,
    Spread RestorePercent,
    Spread AirtimeSeconds,
    Spread RestoreSeconds,
    double WorstRestorePercent,
    int SequenceRegressions,
    int Forks,
    int Unconfirmed,
    int ReusedUnseen,
    Spread RestorablePercent,
    int MissingHeldByNobody,
    int MissingHeldByArchive,
    int MissingHeldByDevicesOnly,
    Spread? WritableSeconds);
