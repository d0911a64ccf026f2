using System;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.DeviceCost;

/// <summary>Deterministic randomness for repeatable scenarios (never for keys that protect anything).</summary>
public sealed class SeededRandom : IRandomSource
{
    private readonly Random _random;

    /// <summary>Creates the generator.</summary>
    public SeededRandom(int seed)
    {
        _random = new Random(seed);
    }

    /// <inheritdoc />
    public void Fill(byte[] buffer, int offset, int count) => _random.NextBytes(buffer.AsSpan(offset, count));
}
