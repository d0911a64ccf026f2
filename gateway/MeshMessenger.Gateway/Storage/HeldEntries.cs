using MeshMessenger.Protocol.Chain;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Storage;

/// <summary>
/// A read-only <see cref="IEntryStore"/> over the gateway's SQLite store, on a connection of its own opened read-only
/// (WAL readers never block the ingest writer, docs/gateway.md): what the protocol core's planners read to see what
/// is held, for example the radio's <see cref="Protocol.Sync.ArchivePull"/>. Only the ingest writer stores, so
/// <see cref="Put"/> refuses. A planner probes an author's sequences one after another (<c>SyncPlanner.FirstHole</c>, up
/// to 4,096 of them), so <see cref="Get"/> reads a window of <see cref="Window"/> consecutive sequences in one query
/// rather than one query each; the window is read again at the next <see cref="TryGetRange"/>, so entries stored
/// meanwhile show from the next look at a chain. Not thread-safe: one reader at a time.
/// </summary>
public sealed class HeldEntries : IEntryStore, IDisposable
{
    /// <summary>Sequences read at once: at most this many entries (each at most a few KB) are held in memory.</summary>
    public const int Window = 512;

    private readonly SqliteConnection _connection;
    private readonly SqliteEntryStore _store;
    private readonly SqliteCommand _window;
    private readonly Dictionary<uint, (byte[] Hash, byte[] Bytes)> _rows = new(Window);
    private bool _loaded;
    private uint _author;
    private uint _from;
    private uint _to;

    /// <summary>Opens a read-only connection to <paramref name="database"/>.</summary>
    public HeldEntries(GatewayDatabase database)
    {
        var readOnly = new SqliteConnectionStringBuilder(database.ConnectionString) { Mode = SqliteOpenMode.ReadOnly };
        _connection = new SqliteConnection(readOnly.ToString());
        _connection.Open();
        GatewayDatabase.Execute(_connection, "PRAGMA busy_timeout=5000;");
        _store = new SqliteEntryStore(_connection);
        _window = _connection.CreateCommand();
        _window.CommandText = "SELECT seq, hash, bytes FROM entries WHERE author = $a AND seq BETWEEN $from AND $to";
    }

    /// <inheritdoc />
    public int Count => _store.Count;

    /// <inheritdoc />
    public StoredEntry? Get(uint author, uint sequence)
    {
        if (!_loaded || author != _author || sequence < _from || sequence > _to)
        {
            Load(author, sequence);
        }

        return _rows.TryGetValue(sequence, out (byte[] Hash, byte[] Bytes) row)
            && EntryCodec.TryDecode(row.Bytes, 0, row.Bytes.Length, out Entry? entry) == Protocol.ProtocolError.None
            ? new StoredEntry(entry!, row.Hash)
            : null;
    }

    /// <summary>Refused: entries enter the store only through ingest, verified (<c>FrameIngest</c>).</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Put(StoredEntry stored) => throw new NotSupportedException("a read-only view of the store: entries are stored by ingest");

    /// <inheritdoc />
    public bool TryGetRange(uint author, out uint low, out uint high)
    {
        _loaded = false;
        return _store.TryGetRange(author, out low, out high);
    }

    /// <inheritdoc />
    public uint[] Authors() => _store.Authors();

    /// <inheritdoc />
    public void Dispose()
    {
        _window.Dispose();
        _connection.Dispose();
    }

    private void Load(uint author, uint from)
    {
        _rows.Clear();
        _author = author;
        _from = from;
        _to = from > uint.MaxValue - (Window - 1) ? uint.MaxValue : from + (Window - 1);
        _window.Parameters.Clear();
        _window.Parameters.AddWithValue("$a", (long)author);
        _window.Parameters.AddWithValue("$from", (long)_from);
        _window.Parameters.AddWithValue("$to", (long)_to);
        using (SqliteDataReader reader = _window.ExecuteReader())
        {
            while (reader.Read())
            {
                _rows[(uint)reader.GetInt64(0)] = ((byte[])reader[1], (byte[])reader[2]);
            }
        }

        _loaded = true;
    }
}
