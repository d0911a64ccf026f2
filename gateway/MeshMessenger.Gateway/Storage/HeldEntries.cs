using MeshMessenger.Protocol.Chain;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Storage;

/// <summary>
/// A read-only <see cref="IEntryStore"/> over the gateway's SQLite store, on a connection of its own opened read-only
/// (WAL readers never block the ingest writer, docs/gateway.md): what the protocol core's planners read to see what
/// is held, for example the radio's <see cref="Protocol.Sync.ArchivePull"/>. Reads go through the writer's own
/// <see cref="SqliteEntryStore"/> queries; only the ingest writer stores, so <see cref="Put"/> refuses.
/// Not thread-safe: one reader at a time.
/// </summary>
public sealed class HeldEntries : IEntryStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteEntryStore _store;

    /// <summary>Opens a read-only connection to <paramref name="database"/>.</summary>
    public HeldEntries(GatewayDatabase database)
    {
        var readOnly = new SqliteConnectionStringBuilder(database.ConnectionString) { Mode = SqliteOpenMode.ReadOnly };
        _connection = new SqliteConnection(readOnly.ToString());
        _connection.Open();
        GatewayDatabase.Execute(_connection, "PRAGMA busy_timeout=5000;");
        _store = new SqliteEntryStore(_connection);
    }

    /// <inheritdoc />
    public int Count => _store.Count;

    /// <inheritdoc />
    public StoredEntry? Get(uint author, uint sequence) => _store.Get(author, sequence);

    /// <summary>Refused: entries enter the store only through ingest, verified (<c>FrameIngest</c>).</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Put(StoredEntry stored) => throw new NotSupportedException("a read-only view of the store: entries are stored by ingest");

    /// <inheritdoc />
    public bool TryGetRange(uint author, out uint low, out uint high) => _store.TryGetRange(author, out low, out high);

    /// <inheritdoc />
    public uint[] Authors() => _store.Authors();

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
