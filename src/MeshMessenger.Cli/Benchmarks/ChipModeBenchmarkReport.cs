namespace MeshMessenger.Cli.Benchmarks;

/// <summary>What <c>meshmsg bench chip-mode</c> writes as JSON: one scenario over several seeds, in the modelled medium and in chip mode on each chip.</summary>
public sealed record ChipModeBenchmarkReport(
    DateTimeOffset Started,
    string Machine,
    int ProcessorCount,
    string Runtime,
    string Scenario,
    string Policy,
    int Nodes,
    double SimulatedMinutes,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<ChipModeRadioFigures> Radios);
