using System;
using System.Security.Cryptography;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Device.Host;

/// <summary>The operating system's CSPRNG.</summary>
public sealed class SystemRandom : IRandomSource
{
    /// <inheritdoc />
    public void Fill(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
}
