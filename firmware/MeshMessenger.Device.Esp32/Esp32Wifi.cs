// NOT COMPILED ON THIS MACHINE (README.md).
using System.Threading;
using MeshMessenger.Device.Platform;
using nanoFramework.Networking;

namespace MeshMessenger.Device.Esp32;

/// <summary>IWifi over WifiNetworkHelper.ConnectDhcp (nanoFramework.System.Device.Wifi), 30 s at most.</summary>
public sealed class Esp32Wifi : IWifi
{
    /// <inheritdoc />
    public bool Join(string ssid, string password)
    {
        var cancel = new CancellationTokenSource(30000);
        return WifiNetworkHelper.ConnectDhcp(ssid, password, requiresDateTime: false, token: cancel.Token);
    }
}
