namespace MeshMessenger.Device.Platform;

/// <summary>
/// The board's serial port (USB-UART bridge, 115200 8N1) as a byte stream. ESP32: System.IO.Ports.SerialPort
/// on COM1 (nanoFramework); host: System.IO.Ports on a tty path.
/// </summary>
public interface ISerialPort
{
    /// <summary>Reads what has arrived, at most <paramref name="count"/> bytes, without waiting; 0 if nothing is there.</summary>
    int Read(byte[] buffer, int offset, int count);

    /// <summary>Writes bytes (blocks until the driver has taken them).</summary>
    void Write(byte[] buffer, int offset, int count);
}
