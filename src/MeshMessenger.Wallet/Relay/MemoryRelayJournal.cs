using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MeshMessenger.Wallet.Relay;

/// <summary>An <see cref="IRelayJournal"/> in memory (the emulator, tests): lost with the process.</summary>
public sealed class MemoryRelayJournal : IRelayJournal
{
    private readonly Dictionary<(uint, uint), RelayRecord> _records = [];
    private readonly Lock _gate = new();

    /// <summary>Records held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<RelayRecord?> FindAsync(uint requester, uint sequence, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.TryGetValue((requester, sequence), out RelayRecord? record) ? record : null);
        }
    }

    /// <inheritdoc />
    public Task SaveAsync(RelayRecord record, CancellationToken ct)
    {
        lock (_gate)
        {
            _records[(record.Requester, record.Sequence)] = record;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RelayRecord>> LoadUnfinishedAsync(CancellationToken ct)
    {
        var unfinished = new List<RelayRecord>();
        lock (_gate)
        {
            foreach (RelayRecord record in _records.Values)
            {
                if (record.Unfinished)
                {
                    unfinished.Add(record);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<RelayRecord>>(unfinished);
    }
}
