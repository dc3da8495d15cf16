using Kuroco.Core.Monitoring;
using Microsoft.Data.Sqlite;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>
/// The monitoring samples: one SQLite file of its own beside the main database (whatever the main provider is), never
/// the main database's hot tables. Raw samples, 1-minute and 1-hour aggregates (min/avg/max/count) and the availability
/// minutes the SLA counts; times as UTC ticks; plain parameterized statements. <see cref="CompactAsync"/> moves raw samples
/// older than 7 days into minutes, minutes older than 90 days into hours, and deletes everything older than 13 months
/// (availability minutes are never downsampled, only deleted after 13 months). When monitoring started (the first
/// liveness probe's minute) is kept in <c>store_meta</c> and survives compaction: the SLA needs it for every month.
/// </summary>
public sealed class SqliteMonitoringSampleStore : IMonitoringSampleStore, IAlertHoldingStore
{
    public static readonly TimeSpan RawKept = TimeSpan.FromDays(7);
    public static readonly TimeSpan MinutesKept = TimeSpan.FromDays(90);
    public const int MonthsKept = 13;

    private const long TicksPerMinute = TimeSpan.TicksPerMinute;
    private const long TicksPerHour = TimeSpan.TicksPerHour;

    private readonly string connectionString;
    private readonly TimeProvider clock;
    private readonly Lazy<Task> schema;

    public SqliteMonitoringSampleStore(string path, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(clock);
        FilePath = path;
        this.clock = clock;
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

    public async Task AppendAsync(IReadOnlyList<MonitoringSample> samples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return;
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO samples(signal, at, value) VALUES ($signal, $at, $value)";
            var signal = insert.Parameters.Add("$signal", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            var value = insert.Parameters.Add("$value", SqliteType.Real);
            foreach (var sample in samples)
            {
                if (!double.IsFinite(sample.Value))
                {
                    continue;
                }
                signal.Value = sample.Signal;
                at.Value = sample.AtUtc.UtcTicks;
                value.Value = sample.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        var app = samples.FirstOrDefault(s => s.Signal == MonitoringSignals.AppUp);
        var database = samples.FirstOrDefault(s => s.Signal == MonitoringSignals.DatabaseUp);
        if ((app ?? database) is { } probe)
        {
            await using var count = connection.CreateCommand();
            count.Transaction = transaction;
            count.CommandText = """
                INSERT INTO availability_minute(minute, probes, app_down, db_down) VALUES ($minute, 1, $app, $db)
                ON CONFLICT(minute) DO UPDATE SET probes = probes + 1, app_down = app_down + excluded.app_down, db_down = db_down + excluded.db_down
                """;
            count.Parameters.AddWithValue("$minute", Floor(probe.AtUtc.UtcTicks, TicksPerMinute));
            count.Parameters.AddWithValue("$app", app is { Value: < 0.5 } ? 1 : 0);
            count.Parameters.AddWithValue("$db", database is { Value: < 0.5 } ? 1 : 0);
            await count.ExecuteNonQueryAsync(cancellationToken);
            await using var since = connection.CreateCommand();
            since.Transaction = transaction;
            since.CommandText = "INSERT OR IGNORE INTO store_meta(key, value) VALUES ('monitoring_since', $minute)";
            since.Parameters.AddWithValue("$minute", Floor(probe.AtUtc.UtcTicks, TicksPerMinute));
            await since.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SamplePoint>> QueryAsync(string signal, DateTimeOffset fromUtc, DateTimeOffset toUtc, SampleResolution? resolution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var chosen = resolution ?? FinestKept(fromUtc, clock.GetUtcNow());
        var bucket = chosen switch
        {
            SampleResolution.Raw => 1L,
            SampleResolution.Minute => TicksPerMinute,
            _ => TicksPerHour,
        };
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Every table answers at the asked bucket size: raw samples and finer aggregates are grouped into it, coarser
        // aggregates stay at their own bucket. Averages are weighted by count.
        command.CommandText = """
            SELECT b, MIN(mn), SUM(total) / SUM(c), MAX(mx), SUM(c) FROM (
                SELECT (at / $bucket) * $bucket AS b, value AS mn, value AS total, value AS mx, 1 AS c
                    FROM samples WHERE signal = $signal AND at >= $from AND at < $to
                UNION ALL
                SELECT (at / $bucket) * $bucket, min, avg * count, max, count
                    FROM samples_minute WHERE signal = $signal AND at >= $from AND at < $to
                UNION ALL
                SELECT (at / $bucket) * $bucket, min, avg * count, max, count
                    FROM samples_hour WHERE signal = $signal AND at >= $from AND at < $to)
            GROUP BY b ORDER BY b
            """;
        command.Parameters.AddWithValue("$bucket", bucket);
        command.Parameters.AddWithValue("$signal", signal);
        command.Parameters.AddWithValue("$from", fromUtc.UtcTicks);
        command.Parameters.AddWithValue("$to", toUtc.UtcTicks);
        var points = new List<SamplePoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            points.Add(new SamplePoint(new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero),
                reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt32(4)));
        }
        return points;
    }

    public async Task<IReadOnlyList<AvailabilityMinute>> GetAvailabilityAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT minute, probes, app_down, db_down FROM availability_minute WHERE minute >= $from AND minute < $to ORDER BY minute";
        command.Parameters.AddWithValue("$from", fromUtc.UtcTicks);
        command.Parameters.AddWithValue("$to", toUtc.UtcTicks);
        var minutes = new List<AvailabilityMinute>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            minutes.Add(new AvailabilityMinute(new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
        }
        return minutes;
    }

    public async Task<DateTimeOffset?> GetMonitoringSinceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM store_meta WHERE key = 'monitoring_since'";
        return await command.ExecuteScalarAsync(cancellationToken) is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>Sets when monitoring started (the bench and tests that fill the store with past samples).</summary>
    public async Task SetMonitoringSinceAsync(DateTimeOffset sinceUtc, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO store_meta(key, value) VALUES ('monitoring_since', $since) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$since", Floor(sinceUtc.UtcTicks, TicksPerMinute));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task CompactAsync(DateTimeOffset nowUtc, CancellationToken cancellationToken)
    {
        var rawCutoff = Floor((nowUtc - RawKept).UtcTicks, TicksPerMinute);
        var minuteCutoff = Floor((nowUtc - MinutesKept).UtcTicks, TicksPerHour);
        var deleteBefore = nowUtc.AddMonths(-MonthsKept).UtcTicks;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO samples_minute(signal, at, min, avg, max, count)
                SELECT signal, (at / $bucket) * $bucket AS b, MIN(value), AVG(value), MAX(value), COUNT(*)
                FROM samples WHERE at < $cutoff GROUP BY signal, b
            ON CONFLICT(signal, at) DO UPDATE SET
                avg = (avg * count + excluded.avg * excluded.count) / (count + excluded.count),
                min = MIN(min, excluded.min), max = MAX(max, excluded.max), count = count + excluded.count;
            DELETE FROM samples WHERE at < $cutoff;
            """, TicksPerMinute, rawCutoff, cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO samples_hour(signal, at, min, avg, max, count)
                SELECT signal, (at / $bucket) * $bucket AS b, MIN(min), SUM(avg * count) / SUM(count), MAX(max), SUM(count)
                FROM samples_minute WHERE at < $cutoff GROUP BY signal, b
            ON CONFLICT(signal, at) DO UPDATE SET
                avg = (avg * count + excluded.avg * excluded.count) / (count + excluded.count),
                min = MIN(min, excluded.min), max = MAX(max, excluded.max), count = count + excluded.count;
            DELETE FROM samples_minute WHERE at < $cutoff;
            """, TicksPerHour, minuteCutoff, cancellationToken);
        await ExecuteAsync(connection, transaction, """
            DELETE FROM samples WHERE at < $cutoff;
            DELETE FROM samples_minute WHERE at < $cutoff;
            DELETE FROM samples_hour WHERE at < $cutoff;
            DELETE FROM availability_minute WHERE minute < $cutoff;
            """, 1, deleteBefore, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>How many rows each table holds (tests, the bench).</summary>
    public async Task<(long Raw, long Minute, long Hour, long Availability)> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM samples), (SELECT COUNT(*) FROM samples_minute),
                   (SELECT COUNT(*) FROM samples_hour), (SELECT COUNT(*) FROM availability_minute)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>The finest resolution still kept at <paramref name="fromUtc"/>.</summary>
    public static SampleResolution FinestKept(DateTimeOffset fromUtc, DateTimeOffset nowUtc) =>
        fromUtc >= nowUtc - RawKept ? SampleResolution.Raw
        : fromUtc >= nowUtc - MinutesKept ? SampleResolution.Minute
        : SampleResolution.Hour;

    private static long Floor(long ticks, long unit) => ticks / unit * unit;

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, long bucket, long cutoff, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$bucket", bucket);
        command.Parameters.AddWithValue("$cutoff", cutoff);
        await command.ExecuteNonQueryAsync(cancellationToken);
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

    public async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> LoadHoldingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT rule_id, since FROM alert_holding";
        var holding = new Dictionary<Guid, DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Guid.TryParse(reader.GetString(0), out var ruleId))
            {
                holding[ruleId] = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
            }
        }
        return holding;
    }

    public async Task SaveHoldingAsync(IReadOnlyDictionary<Guid, DateTimeOffset> holding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holding);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = "DELETE FROM alert_holding";
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO alert_holding(rule_id, since) VALUES ($rule, $since)";
            var rule = insert.Parameters.Add("$rule", SqliteType.Text);
            var since = insert.Parameters.Add("$since", SqliteType.Integer);
            foreach (var (ruleId, at) in holding)
            {
                rule.Value = ruleId.ToString("D");
                since.Value = at.UtcTicks;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await OpenRawAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS samples (signal TEXT NOT NULL, at INTEGER NOT NULL, value REAL NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_samples_signal_at ON samples(signal, at);
            CREATE INDEX IF NOT EXISTS ix_samples_at ON samples(at);
            CREATE TABLE IF NOT EXISTS samples_minute (
                signal TEXT NOT NULL, at INTEGER NOT NULL, min REAL NOT NULL, avg REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
                PRIMARY KEY (signal, at)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS ix_samples_minute_at ON samples_minute(at);
            CREATE TABLE IF NOT EXISTS samples_hour (
                signal TEXT NOT NULL, at INTEGER NOT NULL, min REAL NOT NULL, avg REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
                PRIMARY KEY (signal, at)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS availability_minute (
                minute INTEGER PRIMARY KEY, probes INTEGER NOT NULL, app_down INTEGER NOT NULL, db_down INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS alert_holding (rule_id TEXT PRIMARY KEY, since INTEGER NOT NULL) WITHOUT ROWID;
            INSERT OR IGNORE INTO store_meta(key, value)
                SELECT 'monitoring_since', MIN(minute) FROM availability_minute HAVING COUNT(*) > 0;
            """;
        await command.ExecuteNonQueryAsync();
    }
}
