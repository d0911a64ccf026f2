using System.Device.Gpio;
using System.Device.Spi;
using MeshMessenger.Emulator.Chips;
using MeshMessenger.Gateway.Hardware.Boards;

namespace MeshMessenger.Gateway.Hardware.Tests;

/// <summary>
/// A simulated chip behind System.Device.Gpio's own abstractions, at the hardware edge: a
/// <see cref="GpioDriver"/> whose pins are the chip's reset, BUSY, IRQ and chip-select lines, and an
/// <see cref="SpiDevice"/> that reaches the chip only while chip select is low. The gateway's adapters
/// (<c>SpiDeviceBus</c>, <c>GpioRadioPins</c>) run unmodified on top.
/// </summary>
internal sealed class ChipOnGpio
{
    public ChipOnGpio(SimulatedChip chip, BoardProfile board)
    {
        Driver = new ChipGpioDriver(chip, board.Pins);
        Controller = new GpioController(Driver);
        Spi = new ChipSpiDevice(chip, Driver, board.Spi.ChipSelectLine < 0 ? board.Pins.ChipSelect!.Value : -1);
    }

    public ChipGpioDriver Driver { get; }

    public GpioController Controller { get; }

    public ChipSpiDevice Spi { get; }

    internal sealed class ChipGpioDriver(SimulatedChip chip, BoardPins pins) : PinModeGpioDriver
    {
        private readonly Dictionary<int, PinValue> _outputs = [];

        public List<string> Log { get; } = [];

        public PinValue Output(int pin) => _outputs.GetValueOrDefault(pin, PinValue.Low);

        protected override PinValue Read(int pinNumber)
        {
            if (pinNumber == pins.Busy)
            {
                return chip.IsBusy ? PinValue.High : PinValue.Low;
            }

            if (pinNumber == pins.Irq)
            {
                return chip.IsIrqHigh ? PinValue.High : PinValue.Low;
            }

            return Output(pinNumber);
        }

        protected override void Write(int pinNumber, PinValue value)
        {
            if (Modes.GetValueOrDefault(pinNumber) != PinMode.Output)
            {
                Log.Add($"write to GPIO {pinNumber}, which is not an output");
            }

            _outputs[pinNumber] = value;
            if (pinNumber == pins.Reset)
            {
                chip.SetReset(value == PinValue.High);
            }
        }

        protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the adapters poll");

        protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
            throw new NotSupportedException("the adapters poll");

        protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
        {
        }
    }

    internal sealed class ChipSpiDevice(SimulatedChip chip, ChipGpioDriver gpio, int chipSelectPin) : SpiDevice
    {
        public int TransfersWithoutChipSelect { get; private set; }

        public override SpiConnectionSettings ConnectionSettings => new(0, chipSelectPin < 0 ? 0 : -1);

        public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            if (chipSelectPin >= 0 && gpio.Output(chipSelectPin) != PinValue.Low)
            {
                TransfersWithoutChipSelect++;
                readBuffer.Fill(0xFF); // NSS high: the chip ignores the bus
                return;
            }

            byte[] read = new byte[readBuffer.Length];
            chip.Transfer(writeBuffer.ToArray(), read, writeBuffer.Length);
            read.CopyTo(readBuffer);
        }

        public override byte ReadByte() => throw new NotSupportedException();

        public override void Read(Span<byte> buffer) => throw new NotSupportedException();

        public override void WriteByte(byte value) => throw new NotSupportedException();

        public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException();
    }
}
