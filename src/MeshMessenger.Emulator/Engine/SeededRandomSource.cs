using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Emulator.Engine;

/// <summary>Deterministic randomness for a virtual device's timers (never for keys: identities come from the seed by hashing).</summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    /// <inheritdoc />
    public void Fill(byte[] buffer, int offset, int count) => _random.NextBytes(buffer.AsSpan(offset, count));
}
