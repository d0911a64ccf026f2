using MeshMessenger.Emulator.Metrics;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>One part of a payment on air over the runs: transmissions (relays included), bytes on air and time on air, each as mean, sd and 95 % interval.</summary>
public sealed record PaymentPartFigure(string Part, Spread Frames, Spread Bytes, Spread AirtimeMs);
