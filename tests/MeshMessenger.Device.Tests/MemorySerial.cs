using MeshMessenger.Device.Platform;

namespace MeshMessenger.Device.Tests;

/// <summary>A serial line in RAM: the test queues what the host sends and reads what the device wrote.</summary>
internal sealed class MemorySerial : ISerialPort
{
    private readonly Queue<byte> _incoming = new();
    private readonly List<byte> _written = new();

    public void Send(byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            _incoming.Enqueue(b);
        }
    }

    public byte[] TakeWritten()
    {
        byte[] all = _written.ToArray();
        _written.Clear();
        return all;
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _incoming.Count > 0)
        {
            buffer[offset + n++] = _incoming.Dequeue();
        }

        return n;
    }

    public void Write(byte[] buffer, int offset, int count) => _written.AddRange(buffer.Skip(offset).Take(count));
}
