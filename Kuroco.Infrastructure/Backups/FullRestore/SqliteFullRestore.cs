using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kuroco.Infrastructure.Backups.FullRestore;

/// <summary>The SQLite work of a full restore, on raw connections (parameterized; table names come from the schema, quoted).</summary>
internal static class SqliteFullRestore
{
    /// <summary>A connection to the live database with a generous busy timeout (writers finishing their transaction).</summary>
    public static SqliteConnection OpenLive(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000;");
        return connection;
    }

    /// <summary>A private, unpooled connection to a file (a snapshot copy or the pre-restore copy).</summary>
    public static SqliteConnection OpenFile(string path, bool readOnly)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Copies <paramref name="source"/> over <paramref name="destination"/> with SQLite's online backup API in one step: the
    /// destination keeps its file (and its open pooled connections see the new content); other writers wait on the busy timeout.
    /// </summary>
    public static void CopyInto(SqliteConnection source, SqliteConnection destination) => source.BackupDatabase(destination);

    /// <summary>"ok", or the first problem <c>PRAGMA integrity_check</c> names.</summary>
    public static string IntegrityCheck(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    public static IReadOnlyList<string> Tables(SqliteConnection connection, string schema = "main")
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM {Quote(schema)}.sqlite_master WHERE type = 'table' ORDER BY name;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    public static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {Quote(table)};";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The manifest's tables whose row count differs here: "table: expected → found".</summary>
    public static IReadOnlyList<string> RowCountDifferences(SqliteConnection connection, IReadOnlyDictionary<string, long> expected)
    {
        var tables = Tables(connection).ToHashSet(StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var (table, rows) in expected)
        {
            var found = tables.Contains(table) ? Count(connection, table) : -1;
            if (found != rows)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{table}: {rows} → {found}"));
            }
        }
        return differences;
    }

    /// <summary>The last audit sequence number of a database (0 when it has none).</summary>
    public static long AuditTail(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT IFNULL(MAX(Sequence), 0) FROM AuditEntries;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Appends the audit entries of <paramref name="previousPath"/> (the live database just before the restore) that come
    /// after the restored chain's tail, unchanged: they continue the chain exactly (same sequence numbers and hashes), so
    /// the chain and the anchor outside the database stay valid. The retention checkpoint of the live database is kept too
    /// (a purge after the backup stays done). Returns how many entries were appended, or null when the later entries do not
    /// continue the restored chain (a different history): then nothing is changed.
    /// </summary>
    public static long? ReappendAuditTrail(SqliteConnection live, string previousPath)
    {
        Execute(live, "ATTACH DATABASE $path AS previous;", ("$path", previousPath));
        try
        {
            using var transaction = live.BeginTransaction();
            var (tailSequence, tailHash) = Tail(live, transaction);
            var next = Scalar(live, transaction,
                "SELECT PreviousHash FROM previous.AuditEntries WHERE Sequence = $next;", ("$next", tailSequence + 1));
            var later = Convert.ToInt64(Scalar(live, transaction,
                "SELECT COUNT(*) FROM previous.AuditEntries WHERE Sequence > $tail;", ("$tail", tailSequence)), CultureInfo.InvariantCulture);
            if (later > 0 && (next is not string previousHash || (tailHash is not null && previousHash != tailHash)))
            {
                return null;
            }
            var columns = string.Join(", ", SharedColumns(live, transaction, "AuditEntries").Select(Quote));
            Execute(live, transaction,
                $"INSERT INTO main.AuditEntries ({columns}) SELECT {columns} FROM previous.AuditEntries WHERE Sequence > $tail ORDER BY Sequence;",
                ("$tail", tailSequence));
            var retention = SharedColumns(live, transaction, "AuditRetention");
            if (retention.Count > 0)
            {
                var list = string.Join(", ", retention.Select(Quote));
                Execute(live, transaction, "DELETE FROM main.AuditRetention;");
                Execute(live, transaction, $"INSERT INTO main.AuditRetention ({list}) SELECT {list} FROM previous.AuditRetention;");
                Execute(live, transaction,
                    "DELETE FROM main.AuditEntries WHERE Sequence <= IFNULL((SELECT MAX(CheckpointSequence) FROM main.AuditRetention), 0);");
            }
            transaction.Commit();
            return later;
        }
        finally
        {
            Execute(live, "DETACH DATABASE previous;");
        }
    }

    private static (long Sequence, string? Hash) Tail(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT Sequence, Hash FROM main.AuditEntries ORDER BY Sequence DESC LIMIT 1;";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, null);
    }

    private static List<string> SharedColumns(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        var main = Columns(connection, transaction, "main", table);
        var previous = Columns(connection, transaction, "previous", table).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. main.Where(previous.Contains)];
    }

    private static List<string> Columns(SqliteConnection connection, SqliteTransaction transaction, string schema, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT name FROM pragma_table_info($table, $schema);";
        command.Parameters.AddWithValue("$table", table);
        command.Parameters.AddWithValue("$schema", schema);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        Execute(connection, null, sql, parameters);

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command.ExecuteScalar();
    }
}
