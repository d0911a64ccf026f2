using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Storage;

/// <summary>
/// The protocol's <see cref="IEntryStore"/> on SQLite, for the ingest writer's connection. Writes join
/// the writer's open transaction (<see cref="Transaction"/>), so a batch commits as one; the chain summary
/// and contacts are kept in the same transaction as the entry.
/// </summary>
public sealed class SqliteEntryStore(SqliteConnection connection) : IEntryStore
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    // Write-through cache of each author's latest stored entry: the chain store checks the link to the
    // previous entry on every append, which would otherwise be a query and a decode per frame.
    private readonly Dictionary<uint, StoredEntry> _latest = [];
    private const int LatestCapacity = 50_000;

    /// <summary>The transaction writes join; set by the writer around each batch.</summary>
    public SqliteTransaction? Transaction { get; set; }

    /// <summary>What stamps received_at (the ingest writer sets the gateway clock); the system clock by default.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where the entry being stored came from (radio, udp, mqtt, emulator).</summary>
    public string CurrentSource { get; set; } = "unknown";

    /// <summary>Drops the cache of latest entries; the writer calls it when a batch was rolled back.</summary>
    public void ForgetCache() => _latest.Clear();

    /// <inheritdoc />
    public int Count => (int)Query("SELECT COUNT(*) FROM entries", c => { });

    /// <inheritdoc />
    public StoredEntry? Get(uint author, uint sequence)
    {
        if (_latest.TryGetValue(author, out StoredEntry? latest) && latest.Entry.Sequence == sequence)
        {
            return latest;
        }

        SqliteCommand command = Command("SELECT hash, bytes FROM entries WHERE author = $a AND seq = $s");
        command.Parameters.AddWithValue("$a", (long)author);
        command.Parameters.AddWithValue("$s", (long)sequence);
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        byte[] hash = (byte[])reader[0];
        byte[] bytes = (byte[])reader[1];
        return EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry) == ProtocolError.None ? new StoredEntry(entry!, hash) : null;
    }

    /// <inheritdoc />
    public void Put(StoredEntry stored)
    {
        Entry e = stored.Entry;
        long now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_latest.TryGetValue(e.Author, out StoredEntry? latest) || latest.Entry.Sequence < e.Sequence)
        {
            if (_latest.Count >= LatestCapacity)
            {
                _latest.Clear();
            }

            _latest[e.Author] = stored;
        }

        SqliteCommand insert = Command("INSERT INTO entries (author, seq, kind, hint, direct, hash, bytes, source, received_at) VALUES ($a, $s, $k, $h, $d, $hash, $bytes, $src, $t)");
        insert.Parameters.AddWithValue("$a", (long)e.Author);
        insert.Parameters.AddWithValue("$s", (long)e.Sequence);
        insert.Parameters.AddWithValue("$k", (int)e.Kind);
        insert.Parameters.AddWithValue("$h", (int)e.Hint);
        insert.Parameters.AddWithValue("$d", e.Sealing == BodySealing.Direct ? 1 : 0);
        insert.Parameters.AddWithValue("$hash", stored.Hash);
        insert.Parameters.AddWithValue("$bytes", e.Encoded);
        insert.Parameters.AddWithValue("$src", CurrentSource);
        insert.Parameters.AddWithValue("$t", now);
        insert.ExecuteNonQuery();

        SqliteCommand chain = Command("""
            INSERT INTO chains (author, low, high, head, last_heard) VALUES ($a, $s, $s, $hash, $t)
            ON CONFLICT (author) DO UPDATE SET
              low = min(low, excluded.low),
              head = CASE WHEN excluded.high > high THEN excluded.head ELSE head END,
              high = max(high, excluded.high),
              last_heard = excluded.last_heard
            """);
        chain.Parameters.AddWithValue("$a", (long)e.Author);
        chain.Parameters.AddWithValue("$s", (long)e.Sequence);
        chain.Parameters.AddWithValue("$hash", stored.Hash);
        chain.Parameters.AddWithValue("$t", now);
        chain.ExecuteNonQuery();

        if (e.Kind is EntryKind.DeliveryReceipt or EntryKind.ReadReceipt)
        {
            SqliteCommand receipt = Command("INSERT OR IGNORE INTO receipts (author, seq, kind, recipient_hint) VALUES ($a, $s, $k, $h)");
            receipt.Parameters.AddWithValue("$a", (long)e.Author);
            receipt.Parameters.AddWithValue("$s", (long)e.Sequence);
            receipt.Parameters.AddWithValue("$k", (int)e.Kind);
            receipt.Parameters.AddWithValue("$h", (int)e.Hint);
            receipt.ExecuteNonQuery();
        }
    }

    /// <summary>Records a verified profile as a contact.</summary>
    public void PutContact(uint author, byte[] signingKey, string name)
    {
        SqliteCommand command = Command("INSERT INTO contacts (author, signing_key, name) VALUES ($a, $k, $n) ON CONFLICT (author) DO UPDATE SET name = excluded.name");
        command.Parameters.AddWithValue("$a", (long)author);
        command.Parameters.AddWithValue("$k", signingKey);
        command.Parameters.AddWithValue("$n", name);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public bool TryGetRange(uint author, out uint low, out uint high)
    {
        SqliteCommand command = Command("SELECT low, high FROM chains WHERE author = $a");
        command.Parameters.AddWithValue("$a", (long)author);
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            low = high = 0;
            return false;
        }

        low = (uint)reader.GetInt64(0);
        high = (uint)reader.GetInt64(1);
        return true;
    }

    /// <inheritdoc />
    public uint[] Authors()
    {
        var authors = new List<uint>();
        SqliteCommand command = Command("SELECT author FROM chains ORDER BY author");
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            authors.Add((uint)reader.GetInt64(0));
        }

        return [.. authors];
    }

    private long Query(string sql, Action<SqliteCommand> bind)
    {
        SqliteCommand command = Command(sql);
        bind(command);
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A prepared command for <paramref name="sql"/>, reused across calls (preparing costs more than running).</summary>
    private SqliteCommand Command(string sql)
    {
        if (!_prepared.TryGetValue(sql, out SqliteCommand? command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _prepared[sql] = command;
        }

        command.Parameters.Clear();
        command.Transaction = Transaction;
        return command; // owned by the cache: callers must not dispose it
    }
}
