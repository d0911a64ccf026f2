// NOT COMPILED ON THIS MACHINE (README.md).
using System;
using System.Device.Spi;
using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Device.Esp32;

/// <summary>ISpiBus over System.Device.Spi's SpiDevice (nanoFramework.System.Device.Spi), mode 0, chip select by the driver.</summary>
public sealed class Esp32SpiBus : ISpiBus
{
    private readonly SpiDevice _device;

    /// <summary>Opens bus <paramref name="bus"/> with <paramref name="chipSelect"/> at 8 MHz (the SX126x and SX127x take up to 10 MHz).</summary>
    public Esp32SpiBus(int bus, int chipSelect)
    {
        _device = SpiDevice.Create(new SpiConnectionSettings(bus, chipSelect) { ClockFrequency = 8_000_000, Mode = SpiMode.Mode0, DataFlow = DataFlow.MsbFirst });
    }

    /// <inheritdoc />
    public void Transfer(byte[] write, byte[] read, int count)
    {
        _device.TransferFullDuplex(new SpanByte(write, 0, count), new SpanByte(read, 0, count));
    }
}
