using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Relay;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.ChainAccess;

/// <summary>
/// <see cref="IRelayJournal"/> in the gateway's database (table relay_requests, migrations 5 and 6). A save is one
/// committed SQLite transaction in WAL mode, durable against kill -9 when <see cref="SaveAsync"/> returns, so the
/// relay's Accepted status is only sealed and sent after the row saying so is on disk. Answers are kept as their
/// encoded <see cref="ChainStatusBody"/>s, each behind a 2-byte big-endian length. The gateway also notes, per
/// request, the stage and block whose status entry it last stored (<see cref="MarkSent"/>), so that what the journal
/// reached but the store did not (a crash in between) is found again by <see cref="LoadUnsent"/>.
/// </summary>
public sealed class SqliteRelayJournal(GatewayDatabase database) : IRelayJournal
{
    /// <inheritdoc />
    public Task<RelayRecord?> FindAsync(uint requester, uint sequence, CancellationToken ct)
    {
        using SqliteConnection c = database.Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT requester, seq, chain, kind, raw, txid, stage, block, answers FROM relay_requests WHERE requester = $r AND seq = $s;";
        command.Parameters.AddWithValue("$r", (long)requester);
        command.Parameters.AddWithValue("$s", (long)sequence);
        using SqliteDataReader reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? Read(reader) : null);
    }

    /// <inheritdoc />
    public Task SaveAsync(RelayRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        using SqliteConnection c = database.Open();
        using SqliteTransaction transaction = c.BeginTransaction();
        using SqliteCommand command = c.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO relay_requests (requester, seq, chain, kind, raw, txid, stage, block, answers)
            VALUES ($r, $s, $chain, $kind, $raw, $txid, $stage, $block, $answers)
            ON CONFLICT (requester, seq) DO UPDATE SET chain = excluded.chain, kind = excluded.kind, raw = excluded.raw,
                txid = excluded.txid, stage = excluded.stage, block = excluded.block, answers = excluded.answers;
            """;
        command.Parameters.AddWithValue("$r", (long)record.Requester);
        command.Parameters.AddWithValue("$s", (long)record.Sequence);
        command.Parameters.AddWithValue("$chain", record.Chain.ToText());
        command.Parameters.AddWithValue("$kind", (long)record.Kind);
        command.Parameters.AddWithValue("$raw", (object?)record.RawTransaction ?? DBNull.Value);
        command.Parameters.AddWithValue("$txid", (object?)record.TxId ?? DBNull.Value);
        command.Parameters.AddWithValue("$stage", (long)record.Stage);
        command.Parameters.AddWithValue("$block", (long)record.Block);
        command.Parameters.AddWithValue("$answers", EncodeAnswers(record.Answers));
        command.ExecuteNonQuery();
        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RelayRecord>> LoadUnfinishedAsync(CancellationToken ct)
    {
        using SqliteConnection c = database.Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT requester, seq, chain, kind, raw, txid, stage, block, answers FROM relay_requests WHERE stage IN ($a, $b, $c) ORDER BY requester, seq;";
        command.Parameters.AddWithValue("$a", (long)RelayStage.Broadcasting);
        command.Parameters.AddWithValue("$b", (long)RelayStage.Accepted);
        command.Parameters.AddWithValue("$c", (long)RelayStage.Included);
        using SqliteDataReader reader = command.ExecuteReader();
        var records = new List<RelayRecord>();
        while (reader.Read())
        {
            if (Read(reader) is { } record)
            {
                records.Add(record);
            }
        }

        return Task.FromResult<IReadOnlyList<RelayRecord>>(records);
    }

    /// <summary>Notes that the status entries for the record's present stage and block are stored.</summary>
    public void MarkSent(uint requester, uint sequence)
    {
        using SqliteConnection c = database.Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "UPDATE relay_requests SET sent_stage = stage, sent_block = block WHERE requester = $r AND seq = $s;";
        command.Parameters.AddWithValue("$r", (long)requester);
        command.Parameters.AddWithValue("$s", (long)sequence);
        command.ExecuteNonQuery();
    }

    /// <summary>Every record past <see cref="RelayStage.Broadcasting"/> whose stage or block has no stored status entry yet (<see cref="MarkSent"/>).</summary>
    public IReadOnlyList<RelayRecord> LoadUnsent()
    {
        using SqliteConnection c = database.Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = """
            SELECT requester, seq, chain, kind, raw, txid, stage, block, answers FROM relay_requests
            WHERE stage != $broadcasting AND (sent_stage IS NULL OR sent_stage != stage OR sent_block != block)
            ORDER BY requester, seq;
            """;
        command.Parameters.AddWithValue("$broadcasting", (long)RelayStage.Broadcasting);
        using SqliteDataReader reader = command.ExecuteReader();
        var records = new List<RelayRecord>();
        while (reader.Read())
        {
            if (Read(reader) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>The stored form of a record's answers.</summary>
    public static byte[] EncodeAnswers(IReadOnlyList<ChainStatusBody> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        using var buffer = new MemoryStream();
        foreach (ChainStatusBody answer in answers)
        {
            byte[] encoded = answer.Encode();
            buffer.WriteByte((byte)(encoded.Length >> 8));
            buffer.WriteByte((byte)encoded.Length);
            buffer.Write(encoded);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads stored answers back; null if the bytes are not what <see cref="EncodeAnswers"/> writes.</summary>
    public static IReadOnlyList<ChainStatusBody>? DecodeAnswers(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var answers = new List<ChainStatusBody>();
        for (int at = 0; at < stored.Length;)
        {
            if (at + 2 > stored.Length)
            {
                return null;
            }

            int length = (stored[at] << 8) | stored[at + 1];
            at += 2;
            if (at + length > stored.Length || ChainStatusBody.TryDecode(stored[at..(at + length)], out ChainStatusBody? body) != ProtocolError.None)
            {
                return null;
            }

            answers.Add(body!);
            at += length;
        }

        return answers;
    }

    // A row this version cannot read (a chain it no longer knows, damaged answers) is left alone rather than guessed at.
    private static RelayRecord? Read(SqliteDataReader reader)
    {
        ChainTag? chain = ChainTag.Parse(reader.GetString(2));
        IReadOnlyList<ChainStatusBody>? answers = DecodeAnswers((byte[])reader[8]);
        if (chain is null || answers is null)
        {
            return null;
        }

        return new RelayRecord(
            (uint)reader.GetInt64(0),
            (uint)reader.GetInt64(1),
            chain,
            (ChainRequestKind)reader.GetInt64(3),
            reader.IsDBNull(4) ? null : (byte[])reader[4],
            reader.IsDBNull(5) ? null : (byte[])reader[5],
            (RelayStage)reader.GetInt64(6),
            (ulong)reader.GetInt64(7),
            answers);
    }
}
