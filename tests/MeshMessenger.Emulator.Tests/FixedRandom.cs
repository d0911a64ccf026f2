using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Emulator.Tests;

/// <summary>A randomness source that always gives the same byte, so the firmware's random delays are known.</summary>
internal sealed class FixedRandom(byte value) : IRandomSource
{
    public void Fill(byte[] buffer, int offset, int count) => Array.Fill(buffer, value, offset, count);
}
