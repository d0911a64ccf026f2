using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol.Identity;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// Holds entries for devices that are away and hands them over once the device has proved its key: direct
/// messages to it and receipts for its messages carry its 1-byte hint, so every stored direct entry with that hint
/// (by another author) is held until the device's signed receipt (a proof's held bitmap, docs/protocol.md
/// §5.4) says it has it. Receipts are kept in SQLite, so a restart neither loses nor repeats a confirmed
/// hand-over; nothing is marked handed over without one. deliveries.delivered_until is the contiguous
/// prefix every entry of which is confirmed, so lookups skip it. Other nodes sharing the hint get a few
/// extra sealed entries they cannot open (docs/protocol.md §9 explains the hint). An entry offered
/// <see cref="MaxOffers"/> times without a receipt (the device cannot verify its author, or it is for another
/// node sharing the hint) is set aside, so it never keeps newer entries from being handed over; the set-aside
/// list lives in memory only, so a restart offers such entries again.
/// </summary>
public sealed class StoreAndForward(GatewayDatabase database)
{
    /// <summary>Offers without a receipt after which an entry is set aside for that node.</summary>
    public const int MaxOffers = 3;

    /// <summary>The nonces of challenges outstanding on every IP link: the links share this object, so a proof consumes its nonce on whichever link it arrives.</summary>
    public ChallengeNonces Nonces { get; } = new();

    /// <summary>(node, author, sequence) offer counts remembered at most; past it the counts start over, which only delays.</summary>
    public const int MaxTrackedOffers = 65_536;

    private readonly object _offersGate = new();
    private readonly Dictionary<(uint Node, uint Author, uint Sequence), int> _offers = [];

    // Entries held for node $n (hint $h) after its contiguous mark $s: sealed direct with its hint, by another author. The
    // partial index entries_direct_by_hint serves it (schema step 7).
    private const string HeldFor = "e.direct = 1 AND e.hint = $h AND e.author != $n AND e.received_at > $s";

    /// <summary>The mark never passes entries received this recently: a batch the ingest writer has not committed yet may still carry such times.</summary>
    private const long SettleMilliseconds = 60_000;

    /// <summary>
    /// The next round of held entries for <paramref name="node"/> that it has not confirmed and that are not set aside, at
    /// most <paramref name="max"/>: authors take turns, each author's oldest first (every author's first entry, then
    /// every author's second, and so on; within a turn the oldest received first). Anyone can make an identity and
    /// write DMs to a hint, so in the order received alone a flood stored while the device was away went whole ahead of
    /// a friend's later message, 32 a round and each up to <see cref="MaxOffers"/> times.
    /// </summary>
    public List<HeldEntry> NextBatch(uint node, int max)
    {
        int setAside;
        lock (_offersGate)
        {
            setAside = _offers.Count(o => o.Key.Node == node && o.Value >= MaxOffers);
        }

        var batch = new List<HeldEntry>(max);
        using SqliteConnection c = database.Open();
        using SqliteCommand select = c.CreateCommand();
        // Turns are numbered without the entries' bytes, which are read only for the round's few rows.
        select.CommandText = $"""
            SELECT t.author, t.seq, x.bytes FROM (
              SELECT e.author, e.seq, e.received_at,
                     ROW_NUMBER() OVER (PARTITION BY e.author ORDER BY e.received_at, e.seq) AS turn
              FROM entries e
              WHERE {HeldFor}
                AND NOT EXISTS (SELECT 1 FROM handovers d WHERE d.node = $n AND d.author = e.author AND d.seq = e.seq)
              ORDER BY turn, e.received_at, e.author, e.seq LIMIT $max) t
            JOIN entries x ON x.author = t.author AND x.seq = t.seq
            ORDER BY t.turn, t.received_at, t.author, t.seq
            """;
        select.Parameters.AddWithValue("$h", (int)NodeId.HintOf(node));
        select.Parameters.AddWithValue("$n", (long)node);
        select.Parameters.AddWithValue("$s", Mark(c, null, node));
        select.Parameters.AddWithValue("$max", max + setAside); // set-aside entries are skipped below
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read() && batch.Count < max)
        {
            var entry = new HeldEntry((uint)reader.GetInt64(0), (uint)reader.GetInt64(1), (byte[])reader[2]);
            if (!IsSetAside(node, entry))
            {
                batch.Add(entry);
            }
        }

        return batch;
    }

    /// <summary>Entries held for <paramref name="node"/> that it has not confirmed.</summary>
    public int HeldCount(uint node)
    {
        using SqliteConnection c = database.Open();
        using SqliteCommand count = c.CreateCommand();
        count.CommandText = $"""
            SELECT COUNT(*) FROM entries e
            WHERE {HeldFor}
              AND NOT EXISTS (SELECT 1 FROM handovers d WHERE d.node = $n AND d.author = e.author AND d.seq = e.seq)
            """;
        count.Parameters.AddWithValue("$h", (int)NodeId.HintOf(node));
        count.Parameters.AddWithValue("$n", (long)node);
        count.Parameters.AddWithValue("$s", Mark(c, null, node));
        return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Counts one offer without a receipt for each of <paramref name="unconfirmed"/>; returns how many reached
    /// <see cref="MaxOffers"/> and are now set aside (no later batch for <paramref name="node"/> lists them).
    /// </summary>
    public int Unconfirmed(uint node, IEnumerable<HeldEntry> unconfirmed)
    {
        int setAside = 0;
        lock (_offersGate)
        {
            foreach (HeldEntry entry in unconfirmed)
            {
                var key = (node, entry.Author, entry.Sequence);
                if (!_offers.TryGetValue(key, out int offers) && _offers.Count >= MaxTrackedOffers)
                {
                    _offers.Clear(); // bounded memory: set-aside entries get up to MaxOffers more tries
                }

                _offers[key] = offers + 1;
                setAside += offers + 1 == MaxOffers ? 1 : 0;
            }
        }

        return setAside;
    }

    /// <summary>
    /// Records the device's receipt: <paramref name="confirmed"/> are the listed entries whose proof bit was
    /// set. Then moves the contiguous mark past every confirmed prefix. One transaction.
    /// </summary>
    public void Confirm(uint node, IEnumerable<HeldEntry> confirmed)
    {
        lock (_offersGate)
        {
            foreach (HeldEntry entry in confirmed)
            {
                _offers.Remove((node, entry.Author, entry.Sequence));
            }
        }

        using SqliteConnection c = database.Open();
        using SqliteTransaction t = c.BeginTransaction();
        foreach (HeldEntry entry in confirmed)
        {
            using SqliteCommand insert = c.CreateCommand();
            insert.Transaction = t;
            insert.CommandText = "INSERT OR IGNORE INTO handovers (node, author, seq) VALUES ($n, $a, $s)";
            insert.Parameters.AddWithValue("$n", (long)node);
            insert.Parameters.AddWithValue("$a", (long)entry.Author);
            insert.Parameters.AddWithValue("$s", (long)entry.Sequence);
            insert.ExecuteNonQuery();
        }

        long since = Mark(c, t, node);
        long settled = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - SettleMilliseconds;
        using (SqliteCommand next = c.CreateCommand())
        {
            // The new mark is just below the oldest unconfirmed entry, or the newest held entry if all are confirmed.
            next.Transaction = t;
            next.CommandText = $"""
                SELECT COALESCE(
                  (SELECT MIN(e.received_at) - 1 FROM entries e
                   WHERE {HeldFor}
                     AND NOT EXISTS (SELECT 1 FROM handovers d WHERE d.node = $n AND d.author = e.author AND d.seq = e.seq)),
                  (SELECT MAX(e.received_at) FROM entries e WHERE {HeldFor}),
                  $s)
                """;
            next.Parameters.AddWithValue("$h", (int)NodeId.HintOf(node));
            next.Parameters.AddWithValue("$n", (long)node);
            next.Parameters.AddWithValue("$s", since);
            long until = Math.Min((long)next.ExecuteScalar()!, settled);
            if (until > since)
            {
                using SqliteCommand update = c.CreateCommand();
                update.Transaction = t;
                update.CommandText = "INSERT INTO deliveries (node, delivered_until) VALUES ($n, $u) ON CONFLICT (node) DO UPDATE SET delivered_until = excluded.delivered_until";
                update.Parameters.AddWithValue("$n", (long)node);
                update.Parameters.AddWithValue("$u", until);
                update.ExecuteNonQuery();

                using SqliteCommand prune = c.CreateCommand();
                prune.Transaction = t;
                prune.CommandText = "DELETE FROM handovers WHERE node = $n AND EXISTS (SELECT 1 FROM entries e WHERE e.author = handovers.author AND e.seq = handovers.seq AND e.received_at <= $u)";
                prune.Parameters.AddWithValue("$n", (long)node);
                prune.Parameters.AddWithValue("$u", until);
                prune.ExecuteNonQuery();
            }
        }

        t.Commit();
    }

    /// <summary>The verified signing key of <paramref name="node"/> (from its stored profile), or null if none is known.</summary>
    public byte[]? SigningKeyOf(uint node)
    {
        using SqliteConnection c = database.Open();
        using SqliteCommand select = c.CreateCommand();
        select.CommandText = "SELECT signing_key FROM contacts WHERE author = $a";
        select.Parameters.AddWithValue("$a", (long)node);
        return select.ExecuteScalar() as byte[];
    }

    private bool IsSetAside(uint node, HeldEntry entry)
    {
        lock (_offersGate)
        {
            return _offers.TryGetValue((node, entry.Author, entry.Sequence), out int offers) && offers >= MaxOffers;
        }
    }

    private static long Mark(SqliteConnection c, SqliteTransaction? t, uint node)
    {
        using SqliteCommand mark = c.CreateCommand();
        mark.Transaction = t;
        mark.CommandText = "SELECT delivered_until FROM deliveries WHERE node = $n";
        mark.Parameters.AddWithValue("$n", (long)node);
        return mark.ExecuteScalar() is long value ? value : 0;
    }
}
