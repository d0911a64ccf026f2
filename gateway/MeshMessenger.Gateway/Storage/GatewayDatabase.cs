using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Storage;

/// <summary>
/// The gateway's SQLite file: opened in WAL mode with synchronous=NORMAL, so a committed transaction
/// survives the process being killed at any point (SQLite's WAL guarantees atomic, durable commits
/// against process crashes; https://www.sqlite.org/wal.html), and readers never block the writer.
/// </summary>
public sealed class GatewayDatabase
{
    /// <summary>Opens (creating if needed) and migrates the database at <paramref name="path"/>.</summary>
    public GatewayDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, Cache = SqliteCacheMode.Private }.ToString();
        using SqliteConnection connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Migrate(connection);
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>Connection string for further connections.</summary>
    public string ConnectionString { get; }

    /// <summary>Schema version reached.</summary>
    public long SchemaVersion
    {
        get
        {
            using SqliteConnection c = Open();
            return Scalar(c, "PRAGMA user_version;");
        }
    }

    /// <summary>A new open connection with the gateway's pragmas.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
        return connection;
    }

    /// <summary>Runs SQL without results.</summary>
    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs SQL that returns one integer.</summary>
    public static long Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>"ok" if SQLite's integrity check passes.</summary>
    public string IntegrityCheck()
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return command.ExecuteScalar() as string ?? "";
    }

    private static void Migrate(SqliteConnection connection)
    {
        long version = Scalar(connection, "PRAGMA user_version;");
        if (version > Migrations.Steps.Count)
        {
            throw new InvalidOperationException($"the database is at schema {version}, newer than this gateway knows ({Migrations.Steps.Count}); use a newer gateway");
        }

        for (long step = version; step < Migrations.Steps.Count; step++)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            Execute(connection, Migrations.Steps[(int)step], transaction);
            Execute(connection, $"PRAGMA user_version = {step + 1};", transaction);
            transaction.Commit();
        }
    }
}
