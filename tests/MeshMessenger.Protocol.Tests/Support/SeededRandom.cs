using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Protocol.Tests.Support;

/// <summary>Deterministic randomness for reproducible tests (never for real keys).</summary>
internal sealed class SeededRandom(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(byte[] buffer, int offset, int count) => _random.NextBytes(buffer.AsSpan(offset, count));
}
