using MeshMessenger.Device.Platform;

namespace MeshMessenger.Device.Host;

/// <summary>No Wi-Fi station on the host build: joining always reports failure, and the device runs on LoRa alone.</summary>
public sealed class NoWifi : IWifi
{
    /// <inheritdoc />
    public bool Join(string ssid, string password) => false;
}
