using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// What a device hosted in the gateway had heard before a restart, read back from the gateway's store: its own
/// chain, every author's first profile (sequence 0; later ones come back by sync), what is sealed direct with its hint (direct messages and receipts to it; a clear entry's hint
/// 0 may equal its own) and the newest posts. The
/// entries were verified when they were ingested, so they go into the node's store as they are, and the node
/// carries on at its next sequence number instead of forking its own chain with a new genesis.
/// </summary>
public static class StoredHistory
{
    /// <summary>Posts and messages loaded per device at most, newest first (its own chain always comes whole).</summary>
    public const int MaxEntries = 20_000;

    /// <summary>Fills <paramref name="store"/> for node <paramref name="node"/>; returns how many entries it loaded.</summary>
    public static int LoadInto(GatewayDatabase database, uint node, IEntryStore store)
    {
        using SqliteConnection c = database.Open();
        using SqliteCommand select = c.CreateCommand();
        select.CommandText =
            "SELECT bytes, hash FROM entries WHERE author = $me " +
            "UNION ALL SELECT * FROM (SELECT bytes, hash FROM entries WHERE author != $me AND (seq = 0 OR (direct = 1 AND hint = $hint) OR kind IN ($channel, $public)) ORDER BY received_at DESC LIMIT $max)";
        select.Parameters.AddWithValue("$me", (long)node);
        select.Parameters.AddWithValue("$hint", (int)NodeId.HintOf(node));
        select.Parameters.AddWithValue("$channel", (int)EntryKind.ChannelPost);
        select.Parameters.AddWithValue("$public", (int)EntryKind.PublicPost);
        select.Parameters.AddWithValue("$max", MaxEntries);
        using SqliteDataReader reader = select.ExecuteReader();
        int loaded = 0;
        while (reader.Read())
        {
            var bytes = (byte[])reader[0];
            if (EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry) == ProtocolError.None)
            {
                store.Put(new StoredEntry(entry!, (byte[])reader[1]));
                loaded++;
            }
        }

        return loaded;
    }
}
