using System.Device.Gpio;
using System.Device.Spi;
using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Gateway.Hardware.Linux;

/// <summary>
/// The drivers' <see cref="ISpiBus"/> over System.Device.Gpio's <see cref="SpiDevice"/> (spidev, mode 0,
/// 8 MHz). Where the board wires chip select to a plain GPIO (Waveshare HAT: GPIO 21), the device is opened
/// without a CS line and this class drives the pin around each transfer.
/// </summary>
public sealed class SpiDeviceBus : ISpiBus, IDisposable
{
    private readonly SpiDevice _device;
    private readonly GpioController? _gpio;
    private readonly int _chipSelectPin;

    /// <summary>Wraps an open SPI device; <paramref name="gpio"/> and <paramref name="chipSelectPin"/> when chip select is a GPIO.</summary>
    public SpiDeviceBus(SpiDevice device, GpioController? gpio = null, int chipSelectPin = -1)
    {
        _device = device;
        _gpio = gpio;
        _chipSelectPin = chipSelectPin;
        if (_gpio is not null && _chipSelectPin >= 0)
        {
            _gpio.OpenPin(_chipSelectPin, PinMode.Output, PinValue.High);
        }
    }

    /// <summary>Settings for a radio: mode 0, MSB first, 8 MHz (both chips allow 10 MHz at most).</summary>
    public static SpiConnectionSettings Settings(int bus, int chipSelectLine) => new(bus, chipSelectLine)
    {
        ClockFrequency = 8_000_000,
        Mode = SpiMode.Mode0,
        DataBitLength = 8,
        DataFlow = DataFlow.MsbFirst,
    };

    /// <inheritdoc />
    public void Transfer(byte[] write, byte[] read, int count)
    {
        bool gpioSelect = _gpio is not null && _chipSelectPin >= 0;
        if (gpioSelect)
        {
            _gpio!.Write(_chipSelectPin, PinValue.Low);
        }

        try
        {
            _device.TransferFullDuplex(write.AsSpan(0, count), read.AsSpan(0, count));
        }
        finally
        {
            if (gpioSelect)
            {
                _gpio!.Write(_chipSelectPin, PinValue.High);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _device.Dispose();
}
