namespace MeshMessenger.Emulator.Metrics;

/// <summary>One figure of one point: a policy against the baseline, with the verdict of their 95 % intervals.</summary>
public sealed record SweepCell(
    string PathLoss,
    string Load,
    int Nodes,
    string Figure,
    string Policy,
    Spread PolicyValue,
    string Baseline,
    Spread BaselineValue,
    Verdict Verdict);
