// NOT COMPILED ON THIS MACHINE (README.md).
using System.Device.Gpio;
using System.Threading;
using MeshMessenger.Device.Boards;
using MeshMessenger.Device.Platform;
using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.Sx126x;
using MeshMessenger.Radio.Sx127x;

namespace MeshMessenger.Device.Esp32;

/// <summary>The ESP32 adapters together; the radio is the board's chip behind the shared driver and DriverRadioPort.</summary>
public sealed class Esp32Platform : IDevicePlatform
{
    private readonly BoardPins _pins;
    private readonly Esp32Clock _clock = new Esp32Clock();
    private DriverRadioPort? _radio;

    /// <summary>Creates the adapters for a board.</summary>
    public Esp32Platform(BoardPins pins)
    {
        _pins = pins;
        Flash = new Esp32Flash();
        Serial = new Esp32Serial("COM2");
        Wifi = new Esp32Wifi();
        Random = new Esp32Random();
    }

    /// <inheritdoc />
    public IClock Clock => _clock;

    /// <inheritdoc />
    public IRandomSource Random { get; }

    /// <inheritdoc />
    public IFlashStorage Flash { get; }

    /// <inheritdoc />
    public ISerialPort Serial { get; }

    /// <inheritdoc />
    public IWifi Wifi { get; }

    /// <inheritdoc />
    public void Sleep(int milliseconds) => Thread.Sleep(milliseconds);

    /// <inheritdoc />
    public IRadioPort OpenRadio(LoRaRadioSettings settings)
    {
        var spi = new Esp32SpiBus(_pins.SpiBus, _pins.ChipSelect);
        var lines = new Esp32RadioPins(new GpioController(), _pins.Reset, _pins.Busy, _pins.Irq);
        settings.Dio2AsRfSwitch = _pins.Dio2AsRfSwitch;
        settings.TcxoVoltage = _pins.TcxoVoltage;
        settings.PaBoost = _pins.PaBoost;
        LoRaTransceiver driver = _pins.Chip == "SX1262" ? new Sx1262Driver(spi, lines, _clock) : (LoRaTransceiver)new Sx1276Driver(spi, lines, _clock);
        driver.Initialize(settings);
        _radio = new DriverRadioPort(driver, _clock);
        return _radio;
    }

    /// <inheritdoc />
    public void AttachRadio(DeviceApp app) => _radio?.Attach(app);

    /// <inheritdoc />
    public void PollRadio() => _radio?.Poll();
}
