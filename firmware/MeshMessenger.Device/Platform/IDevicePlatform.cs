using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.Drivers;

namespace MeshMessenger.Device.Platform;

/// <summary>
/// Everything a board supplies to <see cref="DeviceProgram"/>, each a thin adapter over the board's own APIs
/// (firmware/MeshMessenger.Device.Esp32/README.md maps each to its nanoFramework API).
/// </summary>
public interface IDevicePlatform
{
    /// <summary>Monotonic and wall time.</summary>
    IClock Clock { get; }

    /// <summary>Hardware randomness (the ESP32's RNG).</summary>
    IRandomSource Random { get; }

    /// <summary>Files on flash.</summary>
    IFlashStorage Flash { get; }

    /// <summary>The serial port provisioning arrives on.</summary>
    ISerialPort Serial { get; }

    /// <summary>The Wi-Fi station.</summary>
    IWifi Wifi { get; }

    /// <summary>Sleeps up to <paramref name="milliseconds"/> (a board may wake early on an interrupt).</summary>
    void Sleep(int milliseconds);

    /// <summary>Puts the board's LoRa chip on the air with these settings and returns its port.</summary>
    IRadioPort OpenRadio(LoRaRadioSettings settings);

    /// <summary>Tells the radio opened by <see cref="OpenRadio"/> where to deliver completions and frames.</summary>
    void AttachRadio(DeviceApp app);

    /// <summary>Services the radio: its interrupt (transmit done, frame received, channel activity) becomes calls into the app.</summary>
    void PollRadio();
}
