using System.IO;
using MeshMessenger.Device.Platform;

namespace MeshMessenger.Device.Host;

/// <summary>Flash as a directory of files: appends are flushed to the disk (fsync) before they return, as a board's flash write is durable.</summary>
public sealed class DirectoryFlashStorage : IFlashStorage
{
    private readonly string _directory;

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public DirectoryFlashStorage(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <inheritdoc />
    public int Length(string name)
    {
        var info = new FileInfo(PathOf(name));
        return info.Exists ? checked((int)info.Length) : -1;
    }

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        using var stream = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = position;
        return stream.Read(buffer, offset, count);
    }

    /// <inheritdoc />
    public void Append(string name, byte[] data, int offset, int count)
    {
        using var stream = new FileStream(PathOf(name), FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        stream.Write(data, offset, count);
        stream.Flush(true);
    }

    /// <inheritdoc />
    public void Delete(string name)
    {
        File.Delete(PathOf(name));
    }

    private string PathOf(string name) => Path.Combine(_directory, name);
}
