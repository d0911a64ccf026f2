using System.Device.Gpio;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Gateway.Hardware.Linux;

/// <summary>The drivers' <see cref="IRadioPins"/> over a <see cref="GpioController"/> (libgpiod on Raspberry Pi OS), pins from the board file.</summary>
public sealed class GpioRadioPins : IRadioPins
{
    private readonly GpioController _gpio;
    private readonly BoardPins _pins;

    /// <summary>Opens the board's reset, busy, interrupt and antenna lines.</summary>
    public GpioRadioPins(GpioController gpio, BoardPins pins)
    {
        _gpio = gpio;
        _pins = pins;
        _gpio.OpenPin(pins.Reset!.Value, PinMode.Output, PinValue.High);
        _gpio.OpenPin(pins.Irq!.Value, PinMode.Input);
        if (pins.Busy is int busy)
        {
            _gpio.OpenPin(busy, PinMode.Input);
        }

        foreach (int? line in new[] { pins.RxEnable, pins.TxEnable })
        {
            if (line is int pin)
            {
                _gpio.OpenPin(pin, PinMode.Output, PinValue.Low);
            }
        }

        if (pins.AntennaPower is int power)
        {
            _gpio.OpenPin(power, PinMode.Output, PinValue.High);
        }

        SetRfSwitch(false);
    }

    /// <inheritdoc />
    public bool IsBusy => _pins.Busy is int busy && _gpio.Read(busy) == PinValue.High;

    /// <inheritdoc />
    public bool IsIrqHigh => _gpio.Read(_pins.Irq!.Value) == PinValue.High;

    /// <inheritdoc />
    public void SetReset(bool high) => _gpio.Write(_pins.Reset!.Value, high ? PinValue.High : PinValue.Low);

    /// <inheritdoc />
    public void SetRfSwitch(bool transmit)
    {
        if (_pins.RxEnable is int rx)
        {
            _gpio.Write(rx, transmit ? PinValue.Low : PinValue.High);
        }

        if (_pins.TxEnable is int tx)
        {
            _gpio.Write(tx, transmit ? PinValue.High : PinValue.Low);
        }
    }
}
