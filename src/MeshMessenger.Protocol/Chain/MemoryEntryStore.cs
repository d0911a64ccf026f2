using System;
using MeshMessenger.Protocol.Collections;

namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// An <see cref="IEntryStore"/> in RAM (emulator, tests, and boards without flash storage). Bounded: at most
/// <see cref="MaxAuthors"/> authors (entries of one more author are dropped) and <see cref="MaxEntriesPerAuthor"/>
/// entries per author (storing one more drops that author's lowest sequence number, the oldest).
/// </summary>
public sealed class MemoryEntryStore : IEntryStore
{
    /// <summary>Authors held by default (a board without flash storage).</summary>
    public const int DefaultMaxAuthors = 64;

    /// <summary>Entries held per author by default (a board without flash storage).</summary>
    public const int DefaultMaxEntriesPerAuthor = 256;

    private readonly KeyedTable _logs;
    private readonly int _maxEntriesPerAuthor;
    private int _count;

    /// <summary>A store with the default caps.</summary>
    public MemoryEntryStore()
        : this(DefaultMaxAuthors, DefaultMaxEntriesPerAuthor)
    {
    }

    /// <summary>A store of at most <paramref name="maxAuthors"/> authors and <paramref name="maxEntriesPerAuthor"/> entries each.</summary>
    public MemoryEntryStore(int maxAuthors, int maxEntriesPerAuthor)
    {
        if (maxEntriesPerAuthor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEntriesPerAuthor));
        }

        _logs = new KeyedTable(maxAuthors);
        _maxEntriesPerAuthor = maxEntriesPerAuthor;
    }

    /// <summary>The most authors held.</summary>
    public int MaxAuthors => _logs.Capacity;

    /// <summary>The most entries held per author.</summary>
    public int MaxEntriesPerAuthor => _maxEntriesPerAuthor;

    /// <inheritdoc />
    public int Count => _count;

    /// <inheritdoc />
    public StoredEntry? Get(uint author, uint sequence)
    {
        var log = (AuthorLog?)_logs.Get(author);
        return log == null ? null : (StoredEntry?)log.Entries.Get(sequence);
    }

    /// <inheritdoc />
    public void Put(StoredEntry stored)
    {
        uint author = stored.Entry.Author;
        uint sequence = stored.Entry.Sequence;
        var log = (AuthorLog?)_logs.Get(author);
        if (log == null)
        {
            log = new AuthorLog(sequence, _maxEntriesPerAuthor);
            if (!_logs.Set(author, log))
            {
                return; // full of authors: dropped
            }
        }

        if (!log.Entries.Contains(sequence))
        {
            if (log.Entries.Count == log.Entries.Capacity)
            {
                if (sequence < log.Low)
                {
                    return; // older than everything held, and there is no room: dropped
                }

                log.Entries.Remove(log.Low);
                _count--;
                log.Low = LowestOf(log.Entries);
            }

            _count++;
        }

        log.Entries.Set(sequence, stored);
        log.Low = sequence < log.Low || log.Entries.Count == 1 ? sequence : log.Low;
        log.High = sequence > log.High || log.Entries.Count == 1 ? sequence : log.High;
    }

    /// <inheritdoc />
    public bool TryGetRange(uint author, out uint low, out uint high)
    {
        var log = (AuthorLog?)_logs.Get(author);
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
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = _logs.KeyAt(i);
        }

        return result;
    }

    private static uint LowestOf(KeyedTable entries)
    {
        uint low = uint.MaxValue;
        for (int i = 0; i < entries.Count; i++)
        {
            uint sequence = entries.KeyAt(i);
            low = sequence < low ? sequence : low;
        }

        return low;
    }

    private sealed class AuthorLog
    {
        public AuthorLog(uint first, int capacity)
        {
            Low = first;
            High = first;
            Entries = new KeyedTable(capacity);
        }

        public KeyedTable Entries { get; }

        public uint Low { get; set; }

        public uint High { get; set; }
    }
}
