using System.Security.Cryptography;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>The keys and messages every suite works on, drawn once from the system RNG.</summary>
public sealed class BenchmarkInputs
{
    public byte[] SigningSeed { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] AgreementPrivateKey { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] PeerAgreementPrivateKey { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] AeadKey { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] Message { get; } = RandomNumberGenerator.GetBytes(200);

    public byte[] Associated { get; } = RandomNumberGenerator.GetBytes(16);

    public byte[] HashInput { get; } = RandomNumberGenerator.GetBytes(1024);
}
