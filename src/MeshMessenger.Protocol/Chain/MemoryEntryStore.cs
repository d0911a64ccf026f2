using System.Collections;

namespace MeshMessenger.Protocol.Chain;

/// <summary>An <see cref="IEntryStore"/> in RAM (emulator, tests, and boards without flash storage).</summary>
public sealed class MemoryEntryStore : IEntryStore
{
    private readonly Hashtable _logs = new Hashtable();
    private int _count;

    /// <inheritdoc />
    public int Count => _count;

    /// <inheritdoc />
    public StoredEntry? Get(uint author, uint sequence)
    {
        var log = (AuthorLog?)_logs[author];
        return log == null ? null : (StoredEntry?)log.Entries[sequence];
    }

    /// <inheritdoc />
    public void Put(StoredEntry stored)
    {
        uint author = stored.Entry.Author;
        uint sequence = stored.Entry.Sequence;
        var log = (AuthorLog?)_logs[author];
        if (log == null)
        {
            log = new AuthorLog(sequence);
            _logs[author] = log;
        }
        else
        {
            log.Low = sequence < log.Low ? sequence : log.Low;
            log.High = sequence > log.High ? sequence : log.High;
        }

        if (log.Entries[sequence] == null)
        {
            _count++;
        }

        log.Entries[sequence] = stored;
    }

    /// <inheritdoc />
    public bool TryGetRange(uint author, out uint low, out uint high)
    {
        var log = (AuthorLog?)_logs[author];
        if (log == null)
        {
            low = 0;
            high = 0;
            return false;
        }

        low = log.Low;
        high = log.High;
        return true;
    }

    /// <inheritdoc />
    public uint[] Authors()
    {
        var result = new uint[_logs.Count];
        int i = 0;
        foreach (object key in _logs.Keys)
        {
            result[i++] = (uint)key;
        }

        return result;
    }

    private sealed class AuthorLog
    {
        public AuthorLog(uint first)
        {
            Low = first;
            High = first;
        }

        public Hashtable Entries { get; } = new Hashtable();

        public uint Low { get; set; }

        public uint High { get; set; }
    }
}
