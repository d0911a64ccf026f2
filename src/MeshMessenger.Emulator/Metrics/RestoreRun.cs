namespace MeshMessenger.Emulator.Metrics;

/// <summary>One wipe of one seed under one policy (<see cref="RestoreStudy"/>).</summary>
public sealed record RestoreRun(int Seed, string Policy, WipeReport Wipe);
