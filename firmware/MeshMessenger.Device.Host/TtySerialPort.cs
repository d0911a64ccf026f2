using System;
using System.IO.Ports;
using MeshMessenger.Device.Platform;

namespace MeshMessenger.Device.Host;

/// <summary>The device's serial port as a tty path (a USB adapter, or one end of a socat pseudo-terminal pair), 115200 8N1, through System.IO.Ports.</summary>
public sealed class TtySerialPort : ISerialPort, IDisposable
{
    private readonly SerialPort _port;

    /// <summary>Opens <paramref name="path"/>.</summary>
    public TtySerialPort(string path)
    {
        _port = new SerialPort(path, 115200, Parity.None, 8, StopBits.One) { ReadTimeout = SerialPort.InfiniteTimeout, WriteTimeout = 2000 };
        _port.Open();
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        int available = _port.BytesToRead;
        return available == 0 ? 0 : _port.Read(buffer, offset, Math.Min(available, count));
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        _port.Write(buffer, offset, count);
    }

    /// <inheritdoc />
    public void Dispose() => _port.Dispose();
}
