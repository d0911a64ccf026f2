// NOT COMPILED ON THIS MACHINE (README.md).
using System;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Device.Esp32;

/// <summary>
/// IRandomSource over mscorlib's System.Random. On the ESP32 nanoFramework seeds it from the chip's RNG; whether
/// NextBytes draws from esp_fill_random directly must be checked against nf-interpreter before keys are made on the
/// board (keys are made by `meshmsg keygen` on a host and provisioned, so the device's RNG only pads and jitters).
/// </summary>
public sealed class Esp32Random : IRandomSource
{
    private readonly Random _random = new Random();

    /// <inheritdoc />
    public void Fill(byte[] buffer, int offset, int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        Array.Copy(bytes, 0, buffer, offset, count);
    }
}
