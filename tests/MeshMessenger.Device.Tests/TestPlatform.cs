using MeshMessenger.Device.Host;
using MeshMessenger.Device.Platform;
using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.Drivers;

namespace MeshMessenger.Device.Tests;

/// <summary>The device program's platform in RAM: memory flash and serial, a manual clock, the host's void radio.</summary>
internal sealed class TestPlatform : IDevicePlatform
{
    private VoidRadioPort? _radio;

    public TestPlatform(MemoryFlash flash)
    {
        Flash = flash;
    }

    public ManualClock ManualClock { get; } = new();

    public MemorySerial MemorySerial { get; } = new();

    public IClock Clock => ManualClock;

    public IRandomSource Random { get; } = new SystemRandom();

    public IFlashStorage Flash { get; }

    public ISerialPort Serial => MemorySerial;

    public IWifi Wifi { get; } = new NoWifi();

    public LoRaRadioSettings? Settings { get; private set; }

    public void Sleep(int milliseconds) => ManualClock.MonotonicMilliseconds += milliseconds;

    public IRadioPort OpenRadio(LoRaRadioSettings settings)
    {
        Settings = settings;
        return _radio = new VoidRadioPort();
    }

    public void AttachRadio(DeviceApp app) => _radio!.Attach(app);

    public void PollRadio() => _radio?.Poll();
}
