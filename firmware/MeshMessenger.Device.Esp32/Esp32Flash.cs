// NOT COMPILED ON THIS MACHINE (README.md).
using System.IO;
using MeshMessenger.Device.Platform;

namespace MeshMessenger.Device.Esp32;

/// <summary>IFlashStorage over System.IO.FileStream on the internal flash drive I:\ (nanoFramework.System.IO.FileSystem).</summary>
public sealed class Esp32Flash : IFlashStorage
{
    private const string Root = "I:\\";

    /// <inheritdoc />
    public int Length(string name) => File.Exists(Root + name) ? (int)new FileInfo(Root + name).Length : -1;

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        using (var stream = new FileStream(Root + name, FileMode.Open, FileAccess.Read))
        {
            stream.Seek(position, SeekOrigin.Begin);
            return stream.Read(buffer, offset, count);
        }
    }

    /// <inheritdoc />
    public void Append(string name, byte[] data, int offset, int count)
    {
        using (var stream = new FileStream(Root + name, FileMode.Append, FileAccess.Write))
        {
            stream.Write(data, offset, count);
            stream.Flush();
        }
    }

    /// <inheritdoc />
    public void Delete(string name)
    {
        if (File.Exists(Root + name))
        {
            File.Delete(Root + name);
        }
    }
}
