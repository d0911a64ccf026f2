// NOT COMPILED ON THIS MACHINE (README.md).
using System.Device.Gpio;
using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Device.Esp32;

/// <summary>IRadioPins over System.Device.Gpio's GpioController (nanoFramework.System.Device.Gpio).</summary>
public sealed class Esp32RadioPins : IRadioPins
{
    private readonly GpioPin _reset;
    private readonly GpioPin? _busy;
    private readonly GpioPin _irq;

    /// <summary>Opens the reset (output), busy (input, -1 for none) and interrupt (input) lines.</summary>
    public Esp32RadioPins(GpioController gpio, int reset, int busy, int irq)
    {
        _reset = gpio.OpenPin(reset, PinMode.Output);
        _busy = busy < 0 ? null : gpio.OpenPin(busy, PinMode.Input);
        _irq = gpio.OpenPin(irq, PinMode.Input);
    }

    /// <inheritdoc />
    public bool IsBusy => _busy != null && _busy.Read() == PinValue.High;

    /// <inheritdoc />
    public bool IsIrqHigh => _irq.Read() == PinValue.High;

    /// <inheritdoc />
    public void SetReset(bool high) => _reset.Write(high ? PinValue.High : PinValue.Low);

    /// <inheritdoc />
    public void SetRfSwitch(bool transmit)
    {
        // The ESP32 boards switch the antenna through DIO2 (SX1262) or the module itself (SX1276): nothing to drive.
    }
}
