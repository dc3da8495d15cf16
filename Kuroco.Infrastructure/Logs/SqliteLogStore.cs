using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Kuroco.Core.Logs;
using Microsoft.Data.Sqlite;

namespace Kuroco.Infrastructure.Logs;

/// <summary>
/// The server-log store: one SQLite file apart from the main database (whatever the main provider is),
/// one table per kind, times as UTC ticks, plain parameterized statements (no EF: append-only batches and
/// keyset reads). Pages are ordered by (at, id) descending and continue with the row-value comparison
/// <c>(at, id) &lt; (@at, @id)</c>, so equal timestamps never repeat or skip a row.
/// </summary>
public sealed class SqliteLogStore : ILogStore
{
    private const int SchemaVersion = 1;
    private const string RetentionKey = "retention-months";
    private const int StreamPageSize = 1000;

    private static readonly string[] Levels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

    private readonly string connectionString;
    private readonly Lazy<Task> schema;

    public SqliteLogStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = path;
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        schema = new Lazy<Task>(CreateSchemaAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string FilePath { get; }

    /// <summary>The rank of a level name (Trace 0 … Critical 5), for "this level and above".</summary>
    public static int LevelRank(string level) => Math.Max(0, Array.IndexOf(Levels, level));

    public async Task AppendAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var commands = new Dictionary<LogKind, SqliteCommand>();
        try
        {
            foreach (var entry in entries)
            {
                if (!commands.TryGetValue(entry.Kind, out var command))
                {
                    command = CreateInsert(connection, transaction, entry.Kind);
                    commands[entry.Kind] = command;
                }
                Bind(command, entry);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync();
            }
        }
    }

    public async Task<LogPage> ReadAsync(LogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = Math.Clamp(query.PageSize, 1, LogQuery.MaxPageSize);
        var items = new List<StoredLogEntry>(size + 1);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = CreateSelect(connection, query, size + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadRow(reader, query.Kind));
        }
        LogCursor? next = null;
        if (items.Count > size)
        {
            items.RemoveAt(size);
            var last = items[^1];
            next = new LogCursor(last.Entry.At.UtcTicks, last.Id);
        }
        return new LogPage(items, next);
    }

    public async IAsyncEnumerable<StoredLogEntry> StreamAsync(LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = query with { PageSize = StreamPageSize };
        while (true)
        {
            var result = await ReadAsync(page, cancellationToken);
            foreach (var item in result.Items)
            {
                yield return item;
            }
            if (result.Next is null)
            {
                yield break;
            }
            page = page with { After = result.Next };
        }
    }

    public async Task<int> PurgeBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var deleted = 0;
        foreach (var table in Enum.GetValues<LogKind>().Select(TableName))
        {
            await using var command = connection.CreateCommand();
            // Table names come from the fixed list above, never from input.
            command.CommandText = $"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE at < $cutoff ORDER BY at LIMIT $limit)";
            command.Parameters.AddWithValue("$cutoff", cutoff.UtcTicks);
            command.Parameters.AddWithValue("$limit", batchSize);
            deleted += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return deleted;
    }

    public async Task<int?> GetRetentionMonthsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM settings WHERE key = $key";
        command.Parameters.AddWithValue("$key", RetentionKey);
        var value = await command.ExecuteScalarAsync(cancellationToken) as string;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var months) ? months : null;
    }

    public async Task SetRetentionMonthsAsync(int months, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO settings(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$key", RetentionKey);
        command.Parameters.AddWithValue("$value", months.ToString(CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How many entries of a kind the file holds (tests, the bench).</summary>
    public async Task<long> CountAsync(LogKind kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {TableName(kind)}";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await schema.Value.WaitAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await OpenRawAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS app_log (
                id INTEGER PRIMARY KEY, at INTEGER NOT NULL, level TEXT NOT NULL, level_rank INTEGER NOT NULL,
                category TEXT NOT NULL, message TEXT NOT NULL, exception TEXT, correlation_id TEXT, user_name TEXT);
            CREATE INDEX IF NOT EXISTS ix_app_log_at ON app_log(at, id);
            CREATE INDEX IF NOT EXISTS ix_app_log_correlation ON app_log(correlation_id) WHERE correlation_id IS NOT NULL;
            CREATE TABLE IF NOT EXISTS api_request_log (
                id INTEGER PRIMARY KEY, at INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL,
                duration_ms INTEGER NOT NULL, key_prefix TEXT, member_id TEXT, client_address TEXT, correlation_id TEXT);
            CREATE INDEX IF NOT EXISTS ix_api_request_log_at ON api_request_log(at, id);
            CREATE INDEX IF NOT EXISTS ix_api_request_log_correlation ON api_request_log(correlation_id) WHERE correlation_id IS NOT NULL;
            CREATE TABLE IF NOT EXISTS job_log (
                id INTEGER PRIMARY KEY, at INTEGER NOT NULL, job_id TEXT NOT NULL, job_name TEXT NOT NULL, outcome TEXT NOT NULL,
                duration_ms INTEGER NOT NULL, error TEXT);
            CREATE INDEX IF NOT EXISTS ix_job_log_at ON job_log(at, id);
            CREATE TABLE IF NOT EXISTS mail_log (
                id INTEGER PRIMARY KEY, at INTEGER NOT NULL, recipient TEXT NOT NULL, template TEXT NOT NULL, subject TEXT NOT NULL,
                outcome TEXT NOT NULL, provider_message_id TEXT, error TEXT);
            CREATE INDEX IF NOT EXISTS ix_mail_log_at ON mail_log(at, id);
            CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            PRAGMA user_version = {SchemaVersion.ToString(CultureInfo.InvariantCulture)};
            """;
        await command.ExecuteNonQueryAsync();
    }

    private static string TableName(LogKind kind) => kind switch
    {
        LogKind.Application => "app_log",
        LogKind.ApiRequest => "api_request_log",
        LogKind.Job => "job_log",
        LogKind.Mail => "mail_log",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string[] Columns(LogKind kind) => kind switch
    {
        LogKind.Application => ["level", "level_rank", "category", "message", "exception", "correlation_id", "user_name"],
        LogKind.ApiRequest => ["method", "path", "status", "duration_ms", "key_prefix", "member_id", "client_address", "correlation_id"],
        LogKind.Job => ["job_id", "job_name", "outcome", "duration_ms", "error"],
        LogKind.Mail => ["recipient", "template", "subject", "outcome", "provider_message_id", "error"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The columns free text searches, per kind.</summary>
    private static string[] TextColumns(LogKind kind) => kind switch
    {
        LogKind.Application => ["message", "category", "exception", "user_name"],
        LogKind.ApiRequest => ["path", "key_prefix", "member_id", "client_address"],
        LogKind.Job => ["job_name", "job_id", "error"],
        LogKind.Mail => ["recipient", "subject", "template", "error"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static SqliteCommand CreateInsert(SqliteConnection connection, SqliteTransaction transaction, LogKind kind)
    {
        var columns = Columns(kind);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {TableName(kind)} (at, {string.Join(", ", columns)}) VALUES ($at, {string.Join(", ", columns.Select(c => "$" + c))})";
        command.Parameters.Add("$at", SqliteType.Integer);
        foreach (var column in columns)
        {
            command.Parameters.Add("$" + column, SqliteType.Text);
        }
        return command;
    }

    private static void Bind(SqliteCommand command, LogEntry entry)
    {
        command.Parameters["$at"].Value = entry.At.UtcTicks;
        object?[] values = entry switch
        {
            ApplicationLogEntry a => [a.Level, LevelRank(a.Level), a.Category, a.Message, a.Exception, a.CorrelationId, a.User],
            ApiRequestLogEntry r => [r.Method, r.Path, r.Status, r.DurationMs, r.KeyPrefix, r.MemberId, r.ClientAddress, r.CorrelationId],
            JobLogEntry j => [j.JobId, j.JobName, j.Outcome, j.DurationMs, j.Error],
            MailLogEntry m => [m.Recipient, m.Template, m.Subject, m.Outcome, m.ProviderMessageId, m.Error],
            _ => throw new ArgumentOutOfRangeException(nameof(entry)),
        };
        var columns = Columns(entry.Kind);
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters["$" + columns[i]].Value = values[i] ?? DBNull.Value;
        }
    }

    private static SqliteCommand CreateSelect(SqliteConnection connection, LogQuery query, int limit)
    {
        var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.From is { } from)
        {
            where.Add("at >= $from");
            command.Parameters.AddWithValue("$from", from.UtcTicks);
        }
        if (query.To is { } to)
        {
            where.Add("at < $to");
            command.Parameters.AddWithValue("$to", to.UtcTicks);
        }
        if (query.After is { } after)
        {
            where.Add("(at, id) < ($afterAt, $afterId)");
            command.Parameters.AddWithValue("$afterAt", after.AtTicks);
            command.Parameters.AddWithValue("$afterId", after.Id);
        }
        if (!string.IsNullOrWhiteSpace(query.Severity))
        {
            AddSeverity(command, where, query.Kind, query.Severity.Trim());
        }
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            text = text.Length > LogQuery.TextMaxLength ? text[..LogQuery.TextMaxLength] : text;
            where.Add("(" + string.Join(" OR ", TextColumns(query.Kind).Select(c => $"{c} LIKE $text ESCAPE '\\'")) + ")");
            command.Parameters.AddWithValue("$text", "%" + EscapeLike(text) + "%");
        }
        if (!string.IsNullOrWhiteSpace(query.CorrelationId) && query.Kind is LogKind.Application or LogKind.ApiRequest)
        {
            where.Add("correlation_id = $correlation");
            command.Parameters.AddWithValue("$correlation", query.CorrelationId.Trim());
        }
        var sql = new StringBuilder()
            .Append("SELECT id, at, ").Append(string.Join(", ", Columns(query.Kind)))
            .Append(" FROM ").Append(TableName(query.Kind));
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").Append(string.Join(" AND ", where));
        }
        sql.Append(" ORDER BY at DESC, id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = sql.ToString();
        return command;
    }

    private static void AddSeverity(SqliteCommand command, List<string> where, LogKind kind, string severity)
    {
        switch (kind)
        {
            case LogKind.Application:
                // A level means "this level and above".
                where.Add("level_rank >= $rank");
                command.Parameters.AddWithValue("$rank", LevelRank(severity));
                break;
            case LogKind.ApiRequest when severity.Length == 3 && severity.EndsWith("xx", StringComparison.OrdinalIgnoreCase) && char.IsAsciiDigit(severity[0]):
                where.Add("status BETWEEN $statusFrom AND $statusTo");
                var hundred = (severity[0] - '0') * 100;
                command.Parameters.AddWithValue("$statusFrom", hundred);
                command.Parameters.AddWithValue("$statusTo", hundred + 99);
                break;
            case LogKind.ApiRequest:
                where.Add("status = $status");
                command.Parameters.AddWithValue("$status", int.TryParse(severity, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1);
                break;
            default:
                where.Add("outcome = $outcome");
                command.Parameters.AddWithValue("$outcome", severity);
                break;
        }
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static StoredLogEntry ReadRow(SqliteDataReader r, LogKind kind)
    {
        var id = r.GetInt64(0);
        var at = new DateTimeOffset(r.GetInt64(1), TimeSpan.Zero);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        LogEntry entry = kind switch
        {
            LogKind.Application => new ApplicationLogEntry(at, r.GetString(2), r.GetString(4), r.GetString(5), Text(6), Text(7), Text(8)),
            LogKind.ApiRequest => new ApiRequestLogEntry(at, r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt64(5), Text(6), Text(7), Text(8), Text(9)),
            LogKind.Job => new JobLogEntry(at, r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), Text(6)),
            LogKind.Mail => new MailLogEntry(at, r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Text(6), Text(7)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return new StoredLogEntry(id, entry);
    }
}
