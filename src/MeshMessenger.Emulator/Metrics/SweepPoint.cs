namespace MeshMessenger.Emulator.Metrics;

/// <summary>One sweep point under one policy: every figure of <see cref="SweepFigure.All"/> over its seeds (n, mean, sd, 95 % interval).</summary>
public sealed record SweepPoint(
    string PathLoss,
    string Load,
    int Nodes,
    string Policy,
    double DurationMinutes,
    IReadOnlyList<int> Seeds,
    IReadOnlyDictionary<string, Spread> Figures);
