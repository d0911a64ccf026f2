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
    private LoRaTransceiver? _driver;
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
    /// <remarks>
    /// The SPI device, the GPIO pins and the driver are created on the first call only: re-provisioning a running board
    /// calls this again, and opening pins that are already open or a second SpiDevice on the same chip select fails or
    /// leaks (nothing here is ever released). Later calls re-initialize the same chip with the new settings.
    /// </remarks>
    public IRadioPort OpenRadio(LoRaRadioSettings settings)
    {
        settings.Dio2AsRfSwitch = _pins.Dio2AsRfSwitch;
        settings.TcxoVoltage = _pins.TcxoVoltage;
        settings.PaBoost = _pins.PaBoost;
        if (_driver == null || _radio == null)
        {
            var spi = new Esp32SpiBus(_pins.SpiBus, _pins.ChipSelect);
            var lines = new Esp32RadioPins(new GpioController(), _pins.Reset, _pins.Busy, _pins.Irq);
            _driver = _pins.Chip == "SX1262" ? new Sx1262Driver(spi, lines, _clock) : (LoRaTransceiver)new Sx1276Driver(spi, lines, _clock);
            _radio = new DriverRadioPort(_driver, _clock);
        }

        _driver.Initialize(settings);
        return _radio;
    }

    /// <inheritdoc />
    public void AttachRadio(DeviceApp app) => _radio?.Attach(app);

    /// <inheritdoc />
    public void PollRadio() => _radio?.Poll();
}
