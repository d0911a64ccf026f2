using System.Globalization;
using System.Numerics;
using MeshMessenger.Anchoring.Merkle;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Anchors;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Anchoring.Batches;

/// <summary>
/// Batches, their leaves and every signed transaction, in SQLite (WAL). A transaction is written here
/// before it is sent, so a crash at any point leaves either nothing sent or a stored transaction to send
/// again — never a second nonce for one batch.
/// </summary>
public sealed class AnchorStore
{
    private readonly string _connectionString;

    /// <summary>Opens or creates the store.</summary>
    public AnchorStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        using SqliteConnection c = Open();
        Execute(c, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS batches (
                id INTEGER PRIMARY KEY AUTOINCREMENT, root BLOB NOT NULL, leaf_count INTEGER NOT NULL, created INTEGER NOT NULL,
                state INTEGER NOT NULL, nonce TEXT, tx_hash TEXT, block_number INTEGER, block_hash TEXT, gas_used INTEGER, receipt TEXT,
                notified INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS leaves (batch_id INTEGER NOT NULL, idx INTEGER NOT NULL, leaf BLOB NOT NULL, author INTEGER, seq INTEGER, PRIMARY KEY (batch_id, idx)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS leaves_by_author ON leaves (author, seq);
            CREATE TABLE IF NOT EXISTS attempts (tx_hash TEXT PRIMARY KEY, batch_id INTEGER NOT NULL, raw BLOB NOT NULL, tip TEXT NOT NULL, max_fee TEXT NOT NULL, gas TEXT NOT NULL, sent_at INTEGER NOT NULL);
            """);
    }

    /// <summary>Stores a new batch over its leaves; returns its id.</summary>
    public long AddBatch(IReadOnlyList<byte[]> leaves)
    {
        using SqliteConnection c = Open();
        using SqliteTransaction t = c.BeginTransaction();
        long id = Insert(c, t, "INSERT INTO batches (root, leaf_count, created, state) VALUES ($r, $n, $c, 0) RETURNING id", ("$r", MerkleTree.Root(leaves)), ("$n", leaves.Count), ("$c", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        for (int i = 0; i < leaves.Count; i++)
        {
            // Checkpoint leaves (AnchorLeaf, 48 bytes) are indexed by author and sequence so a proof can be found for an entry.
            bool checkpoint = AnchorLeaf.TryDecode(leaves[i], 0, leaves[i].Length, out AnchorLeaf? leaf) == ProtocolError.None;
            Insert(c, t, "INSERT INTO leaves (batch_id, idx, leaf, author, seq) VALUES ($b, $i, $l, $a, $s)", ("$b", id), ("$i", i), ("$l", leaves[i]),
                ("$a", checkpoint ? (long)leaf!.Author : DBNull.Value),
                ("$s", checkpoint ? (long)leaf!.Sequence : DBNull.Value));
        }

        t.Commit();
        return id;
    }

    /// <summary>Batches that are final, oldest first.</summary>
    public List<AnchorBatch> Final() => Batches("WHERE state = 4 ORDER BY id");

    /// <summary>Final batches whose authors have not been told yet.</summary>
    public List<AnchorBatch> FinalNotNotified() => Batches("WHERE state = 4 AND notified = 0 ORDER BY id");

    /// <summary>Records that a final batch's authors were told.</summary>
    public void MarkNotified(long batchId)
    {
        using SqliteConnection c = Open();
        Insert(c, null, "UPDATE batches SET notified = 1 WHERE id = $b", ("$b", batchId));
    }

    /// <summary>Batches of every state.</summary>
    public int BatchCount() => (int)Progress().Batches;

    /// <summary>
    /// How far anchoring has come, in one small query: the number of batches and the sum of their states.
    /// The pair changes whenever a batch is added, advances, or is sent back because the chain lost it (what live
    /// pages watch; a move forward and one back in the same moment could cancel out, and the next change shows both).
    /// </summary>
    public (long Batches, long StateSum) Progress()
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(state), 0) FROM batches";
        using SqliteDataReader r = command.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>The newest final batch with an id below <paramref name="belowId"/>, or null.</summary>
    public AnchorBatch? NewestFinal(long belowId = long.MaxValue) => Batches($"WHERE state = 4 AND id < {belowId} ORDER BY id DESC LIMIT 1").SingleOrDefault();

    /// <summary>
    /// Sends a batch back to Sent because the chain no longer has its transaction: the inclusion details are
    /// cleared and its authors will be told again once it is final again. Its attempts stay.
    /// </summary>
    public void Reopen(long batchId)
    {
        using SqliteConnection c = Open();
        Insert(c, null, "UPDATE batches SET state = 2, tx_hash = NULL, block_number = NULL, block_hash = NULL, gas_used = NULL, receipt = NULL, notified = 0 WHERE id = $b", ("$b", batchId));
    }

    /// <summary>Batches not yet final, oldest first.</summary>
    public List<AnchorBatch> Unfinished() => Batches("WHERE state < 4 ORDER BY id");

    /// <summary>A batch by id.</summary>
    public AnchorBatch Batch(long id) => Batches($"WHERE id = {id}").Single();

    /// <summary>The batch's leaves in order.</summary>
    public List<byte[]> Leaves(long batchId)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT leaf FROM leaves WHERE batch_id = $b ORDER BY idx";
        command.Parameters.AddWithValue("$b", batchId);
        using SqliteDataReader r = command.ExecuteReader();
        var leaves = new List<byte[]>();
        while (r.Read())
        {
            leaves.Add((byte[])r[0]);
        }

        return leaves;
    }

    /// <summary>
    /// The anchored leaf that covers (author, sequence): the earliest checkpoint of that author at or after
    /// the sequence in a batch that is in a block. Null if none yet.
    /// </summary>
    public (long BatchId, int Index)? FindCovering(uint author, uint sequence)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT l.batch_id, l.idx FROM leaves l JOIN batches b ON b.id = l.batch_id WHERE l.author = $a AND l.seq >= $s AND b.state >= 3 ORDER BY l.seq, l.batch_id LIMIT 1";
        command.Parameters.AddWithValue("$a", (long)author);
        command.Parameters.AddWithValue("$s", (long)sequence);
        using SqliteDataReader r = command.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetInt32(1)) : null;
    }

    /// <summary>The highest sequence checkpointed so far per author, across all batches (so a restart does not anchor the same heads again).</summary>
    public Dictionary<uint, long> CheckpointedHeads()
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT author, max(seq) FROM leaves WHERE author IS NOT NULL GROUP BY author";
        using SqliteDataReader r = command.ExecuteReader();
        var heads = new Dictionary<uint, long>();
        while (r.Read())
        {
            heads[(uint)r.GetInt64(0)] = r.GetInt64(1);
        }

        return heads;
    }

    /// <summary>Every signed transaction of a batch, oldest first.</summary>
    public List<AnchorAttempt> Attempts(long batchId)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT tx_hash, raw, tip, max_fee, gas, sent_at FROM attempts WHERE batch_id = $b ORDER BY sent_at, rowid";
        command.Parameters.AddWithValue("$b", batchId);
        using SqliteDataReader r = command.ExecuteReader();
        var attempts = new List<AnchorAttempt>();
        while (r.Read())
        {
            attempts.Add(new AnchorAttempt(
                batchId, r.GetString(0), (byte[])r[1], BigInteger.Parse(r.GetString(2), CultureInfo.InvariantCulture),
                BigInteger.Parse(r.GetString(3), CultureInfo.InvariantCulture), BigInteger.Parse(r.GetString(4), CultureInfo.InvariantCulture), r.GetInt64(5)));
        }

        return attempts;
    }

    /// <summary>Records a signed transaction (and the batch's nonce) before it is sent.</summary>
    public void AddAttempt(AnchorAttempt attempt, BigInteger nonce)
    {
        using SqliteConnection c = Open();
        using SqliteTransaction t = c.BeginTransaction();
        Insert(c, t, "INSERT INTO attempts (tx_hash, batch_id, raw, tip, max_fee, gas, sent_at) VALUES ($h, $b, $r, $tip, $fee, $gas, $at)",
            ("$h", attempt.TransactionHash), ("$b", attempt.BatchId), ("$r", attempt.Raw), ("$tip", attempt.MaxPriorityFeePerGas.ToString(CultureInfo.InvariantCulture)),
            ("$fee", attempt.MaxFeePerGas.ToString(CultureInfo.InvariantCulture)), ("$gas", attempt.Gas.ToString(CultureInfo.InvariantCulture)), ("$at", attempt.SentAtMs));
        Insert(c, t, "UPDATE batches SET nonce = $n, state = max(state, 1) WHERE id = $b", ("$n", nonce.ToString(CultureInfo.InvariantCulture)), ("$b", attempt.BatchId));
        t.Commit();
    }

    /// <summary>Moves a batch to <paramref name="state"/>, with the inclusion details when it has them.</summary>
    public void SetState(long batchId, AnchorState state, string? txHash = null, long? blockNumber = null, string? blockHash = null, long? gasUsed = null, string? receipt = null)
    {
        using SqliteConnection c = Open();
        Insert(c, null, "UPDATE batches SET state = $s, tx_hash = $h, block_number = $n, block_hash = $bh, gas_used = $g, receipt = $r WHERE id = $b",
            ("$s", (int)state), ("$h", (object?)txHash ?? DBNull.Value), ("$n", (object?)blockNumber ?? DBNull.Value), ("$bh", (object?)blockHash ?? DBNull.Value),
            ("$g", (object?)gasUsed ?? DBNull.Value), ("$r", (object?)receipt ?? DBNull.Value), ("$b", batchId));
    }

    private List<AnchorBatch> Batches(string where)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = $"SELECT id, root, leaf_count, state, nonce, tx_hash, block_number, block_hash, gas_used, receipt FROM batches {where}";
        using SqliteDataReader r = command.ExecuteReader();
        var batches = new List<AnchorBatch>();
        while (r.Read())
        {
            batches.Add(new AnchorBatch(
                r.GetInt64(0), (byte[])r[1], r.GetInt32(2), (AnchorState)r.GetInt32(3),
                r.IsDBNull(4) ? null : BigInteger.Parse(r.GetString(4), CultureInfo.InvariantCulture),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetString(7),
                r.IsDBNull(8) ? null : r.GetInt64(8), r.IsDBNull(9) ? null : r.GetString(9)));
        }

        return batches;
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Execute(c, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        return c;
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Insert(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = c.CreateCommand();
        command.Transaction = t;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }
}
