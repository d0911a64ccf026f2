namespace MeshMessenger.Cli.Benchmarks;

/// <summary>Gas of one anchor from its receipt, and per checkpoint in its batch.</summary>
public sealed record AnchoringGasRow(int BatchSize, long GasUsed, double GasPerMessage);
