namespace MeshMessenger.Radio.Hardware;

/// <summary>
/// One SPI device (mode 0, MSB first) as the radio drivers need it: a full-duplex transfer with chip
/// select held low for the whole transfer. The Pi adapter wraps System.Device.Gpio's SpiDevice, a board
/// wraps nanoFramework's, the tests wrap a simulated chip.
/// </summary>
public interface ISpiBus
{
    /// <summary>Clocks out <paramref name="count"/> bytes of <paramref name="write"/> while reading as many into <paramref name="read"/>.</summary>
    void Transfer(byte[] write, byte[] read, int count);
}
