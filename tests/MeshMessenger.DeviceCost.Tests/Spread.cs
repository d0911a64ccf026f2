namespace MeshMessenger.DeviceCost;

/// <summary>Microseconds per call: <see cref="N"/> calls per round, <see cref="Rounds"/> rounds; median, min, max of the rounds.</summary>
public sealed record Spread(int N, int Rounds, double MedianMicroseconds, double MinMicroseconds, double MaxMicroseconds);
