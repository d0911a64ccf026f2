// NOT COMPILED ON THIS MACHINE (README.md).
using System.IO.Ports;
using MeshMessenger.Device.Platform;

namespace MeshMessenger.Device.Esp32;

/// <summary>ISerialPort over System.IO.Ports.SerialPort (nanoFramework.System.IO.Ports), 115200 8N1.</summary>
public sealed class Esp32Serial : ISerialPort
{
    private readonly SerialPort _port;

    /// <summary>
    /// The driver's receive buffer. A request frame is up to 2,058 bytes and about 576 bytes arrive at 115200 baud
    /// during one 50 ms sleep of the main loop; while a bundle is stored on flash the loop is away longer. The default
    /// size on the ESP32 port is not documented (unconfirmed on hardware), so it is set explicitly, before Open.
    /// </summary>
    public const int ReadBufferBytes = 4096;

    /// <summary>Opens <paramref name="name"/> (COM2 by default: COM1 carries nanoFramework's wire protocol, README.md).</summary>
    public Esp32Serial(string name)
    {
        _port = new SerialPort(name, 115200, Parity.None, 8, StopBits.One);
        _port.ReadBufferSize = ReadBufferBytes;
        _port.Open();
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        int available = _port.BytesToRead;
        return available == 0 ? 0 : _port.Read(buffer, offset, available < count ? available : count);
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count) => _port.Write(buffer, offset, count);
}
