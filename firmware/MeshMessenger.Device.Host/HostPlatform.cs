using System.Threading;
using MeshMessenger.Device.Platform;
using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.Drivers;

namespace MeshMessenger.Device.Host;

/// <summary>The host adapters together: a tty, a flash directory, the system clock and randomness, no Wi-Fi, a void radio.</summary>
public sealed class HostPlatform : IDevicePlatform
{
    private VoidRadioPort? _radio;

    /// <summary>Creates the platform.</summary>
    public HostPlatform(ISerialPort serial, IFlashStorage flash)
    {
        Serial = serial;
        Flash = flash;
    }

    /// <inheritdoc />
    public IClock Clock { get; } = new SystemClock();

    /// <inheritdoc />
    public IRandomSource Random { get; } = new SystemRandom();

    /// <inheritdoc />
    public IFlashStorage Flash { get; }

    /// <inheritdoc />
    public ISerialPort Serial { get; }

    /// <inheritdoc />
    public IWifi Wifi { get; } = new NoWifi();

    /// <summary>The settings the program last opened the radio with.</summary>
    public LoRaRadioSettings? RadioSettings { get; private set; }

    /// <inheritdoc />
    public void Sleep(int milliseconds)
    {
        if (milliseconds > 0)
        {
            Thread.Sleep(milliseconds);
        }
    }

    /// <inheritdoc />
    public IRadioPort OpenRadio(LoRaRadioSettings settings)
    {
        RadioSettings = settings;
        _radio = new VoidRadioPort();
        return _radio;
    }

    /// <inheritdoc />
    public void AttachRadio(DeviceApp app) => _radio?.Attach(app);

    /// <inheritdoc />
    public void PollRadio() => _radio?.Poll();
}
