using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol.Identity;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// Holds entries for devices that are away and hands them over when the device is heard again: direct
/// messages to it and receipts for its messages carry its 1-byte hint, so every stored entry with that hint
/// newer than what the device was last given is sent. The high-water mark is kept in SQLite, so a gateway
/// restart neither loses nor repeats a hand-over. Other nodes sharing the hint get a few extra sealed
/// entries they cannot open (docs/protocol.md §9 explains the hint).
/// </summary>
public sealed class StoreAndForward(GatewayDatabase database)
{
    /// <summary>Entries handed over per visit at most; the rest follow on the next.</summary>
    public const int MaxPerVisit = 512;

    /// <summary>The entries held for <paramref name="node"/>, oldest first, and marks them delivered.</summary>
    public List<byte[]> TakeHeld(uint node)
    {
        var entries = new List<byte[]>();
        using SqliteConnection c = database.Open();
        using SqliteTransaction t = c.BeginTransaction();
        long since;
        using (SqliteCommand mark = c.CreateCommand())
        {
            mark.Transaction = t;
            mark.CommandText = "SELECT delivered_until FROM deliveries WHERE node = $n";
            mark.Parameters.AddWithValue("$n", (long)node);
            since = mark.ExecuteScalar() is long value ? value : 0;
        }

        long until = since;
        using (SqliteCommand select = c.CreateCommand())
        {
            select.Transaction = t;
            select.CommandText = "SELECT bytes, received_at FROM entries WHERE hint = $h AND author != $n AND received_at > $s ORDER BY received_at LIMIT $max";
            select.Parameters.AddWithValue("$h", (int)NodeId.HintOf(node));
            select.Parameters.AddWithValue("$n", (long)node);
            select.Parameters.AddWithValue("$s", since);
            select.Parameters.AddWithValue("$max", MaxPerVisit);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                entries.Add((byte[])reader[0]);
                until = Math.Max(until, reader.GetInt64(1));
            }
        }

        using (SqliteCommand update = c.CreateCommand())
        {
            update.Transaction = t;
            update.CommandText = "INSERT INTO deliveries (node, delivered_until) VALUES ($n, $u) ON CONFLICT (node) DO UPDATE SET delivered_until = excluded.delivered_until";
            update.Parameters.AddWithValue("$n", (long)node);
            update.Parameters.AddWithValue("$u", until);
            update.ExecuteNonQuery();
        }

        t.Commit();
        return entries;
    }
}
