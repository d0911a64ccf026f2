using MeshMessenger.Device.Platform;

namespace MeshMessenger.Device.Tests;

/// <summary>
/// Flash in RAM, the hardware edge of the stores. <see cref="Budget"/> simulates power loss: once that many more bytes
/// have been appended, the append in progress keeps only its first bytes and throws, as a board losing power mid-write
/// leaves a prefix. <see cref="Truncate"/> and <see cref="Snapshot"/> let a test cut a file at any byte.
/// </summary>
internal sealed class MemoryFlash : IFlashStorage
{
    private readonly Dictionary<string, List<byte>> _files = new();

    /// <summary>Bytes that may still be appended before "power is lost"; -1 for no limit.</summary>
    public long Budget { get; set; } = -1;

    /// <summary>Total bytes all files may hold; an append past it throws (flash full) and counts in <see cref="FullHits"/>. -1: no limit.</summary>
    public long Capacity { get; set; } = -1;

    /// <summary>Appends refused because the flash was full.</summary>
    public int FullHits { get; private set; }

    public IEnumerable<string> Names => _files.Keys;

    public int Length(string name) => _files.TryGetValue(name, out List<byte>? f) ? f.Count : -1;

    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        if (!_files.TryGetValue(name, out List<byte>? f))
        {
            throw new FileNotFoundException(name);
        }

        int n = Math.Max(0, Math.Min(count, f.Count - position));
        f.CopyTo(position, buffer, offset, n);
        return n;
    }

    public void Append(string name, byte[] data, int offset, int count)
    {
        if (!_files.TryGetValue(name, out List<byte>? f))
        {
            _files[name] = f = new List<byte>();
        }

        if (Capacity >= 0 && _files.Values.Sum(x => (long)x.Count) + count > Capacity)
        {
            FullHits++;
            throw new IOException("flash full");
        }

        if (Budget >= 0 && count > Budget)
        {
            int kept = (int)Budget;
            f.AddRange(data.Skip(offset).Take(kept));
            Budget = 0;
            throw new IOException("power lost");
        }

        f.AddRange(data.Skip(offset).Take(count));
        if (Budget >= 0)
        {
            Budget -= count;
        }
    }

    /// <summary>Names whose delete throws (a worn or locked file).</summary>
    public HashSet<string> FailDelete { get; } = new();

    public void Delete(string name)
    {
        if (FailDelete.Contains(name))
        {
            throw new IOException("delete refused");
        }

        if (Budget == 0)
        {
            throw new IOException("power lost");
        }

        _files.Remove(name);
    }

    public void Truncate(string name, int length) => _files[name].RemoveRange(length, _files[name].Count - length);

    public void Write(string name, byte[] content) => _files[name] = new List<byte>(content);

    public byte[] Content(string name) => _files[name].ToArray();

    /// <summary>A deep copy.</summary>
    public MemoryFlash Snapshot()
    {
        var copy = new MemoryFlash();
        foreach ((string name, List<byte> f) in _files)
        {
            copy._files[name] = new List<byte>(f);
        }

        return copy;
    }
}
