using System.Security.Cryptography;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Cli.Host;

/// <summary>The operating system's cryptographic random number generator.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    /// <inheritdoc />
    public void Fill(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
}
