namespace MeshMessenger.Protocol.Platform;

/// <summary>
/// Cryptographically secure randomness, supplied by the platform: the ESP32's hardware RNG on a board,
/// the OS generator on a host, a seeded generator in the emulator and in tests.
/// </summary>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    void Fill(byte[] buffer, int offset, int count);
}
