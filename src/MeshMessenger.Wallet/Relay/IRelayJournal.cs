using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MeshMessenger.Wallet.Relay;

/// <summary>
/// Where a <see cref="ChainRelay"/> keeps what it has done, so a restarted relay answers a repeated request the same
/// way and follows unfinished transactions to Final. <see cref="SaveAsync"/> must be durable when its task completes:
/// the relay emits an Accepted status only after the row saying so is saved.
/// </summary>
public interface IRelayJournal
{
    /// <summary>The record of request (<paramref name="requester"/>, <paramref name="sequence"/>), or null.</summary>
    Task<RelayRecord?> FindAsync(uint requester, uint sequence, CancellationToken ct);

    /// <summary>Inserts or replaces the record of (Requester, Sequence).</summary>
    Task SaveAsync(RelayRecord record, CancellationToken ct);

    /// <summary>Every record whose <see cref="RelayRecord.Unfinished"/> is true.</summary>
    Task<IReadOnlyList<RelayRecord>> LoadUnfinishedAsync(CancellationToken ct);
}
