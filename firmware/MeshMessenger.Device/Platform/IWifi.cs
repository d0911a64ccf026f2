namespace MeshMessenger.Device.Platform;

/// <summary>The board's Wi-Fi station. ESP32: System.Device.Wifi's WifiAdapter.Connect; host: none.</summary>
public interface IWifi
{
    /// <summary>Joins a network; false if it could not (no such network, wrong password, no Wi-Fi on this board).</summary>
    bool Join(string ssid, string password);
}
