using Kuroco.Core.Logs;
using Kuroco.Infrastructure.Logs;

namespace Kuroco.Tests.Integration.Logs;

/// <summary>The server-log store on a real SQLite file: every field round-trips, filters, keyset paging, purge.</summary>
public sealed class LogStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kuroco-tests", "logs-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteLogStore store;

    public LogStoreTests() => store = new SqliteLogStore(Path.Combine(folder, "server-logs.db"));

    [Fact]
    public async Task Each_kind_round_trips_every_field()
    {
        var app = new ApplicationLogEntry(T0, "Warning", "Kuroco.Test", "Something odd", "System.Exception: boom", "abc123", "admin@test.local");
        var api = new ApiRequestLogEntry(T0, "GET", "/api/content/news", 200, 12, "kk_ab12", null, "203.0.113.5", "abc123");
        var job = new JobLogEntry(T0, "42", "MailDispatchJob.ExecuteAsync", "Failed", 1500, "InvalidOperationException: no");
        var mail = new MailLogEntry(T0, "user@example.com", "sendgrid", "件名", "Sent", "m-1", null);

        await store.AppendAsync([app, api, job, mail]);

        Assert.Equal(app, Assert.Single((await store.ReadAsync(new LogQuery(LogKind.Application))).Items).Entry);
        Assert.Equal(api, Assert.Single((await store.ReadAsync(new LogQuery(LogKind.ApiRequest))).Items).Entry);
        Assert.Equal(job, Assert.Single((await store.ReadAsync(new LogQuery(LogKind.Job))).Items).Entry);
        Assert.Equal(mail, Assert.Single((await store.ReadAsync(new LogQuery(LogKind.Mail))).Items).Entry);
    }

    [Fact]
    public async Task Keyset_paging_across_equal_timestamps_returns_every_row_once_newest_first()
    {
        // 25 rows share one timestamp, 10 are older: pages of 7 must cross the tie without repeats or gaps.
        var entries = Enumerable.Range(0, 25).Select(i => (LogEntry)Job(T0, $"same-{i}"))
            .Concat(Enumerable.Range(0, 10).Select(i => Job(T0.AddSeconds(-1 - i), $"older-{i}")))
            .ToList();
        await store.AppendAsync(entries);

        var seen = new List<StoredLogEntry>();
        var query = new LogQuery(LogKind.Job, PageSize: 7);
        var pages = 0;
        while (true)
        {
            var page = await store.ReadAsync(query);
            pages++;
            seen.AddRange(page.Items);
            if (page.Next is null)
            {
                break;
            }
            query = query with { After = page.Next };
        }

        Assert.Equal(5, pages);
        Assert.Equal(35, seen.Count);
        Assert.Equal(35, seen.Select(s => s.Id).Distinct().Count());
        var order = seen.Select(s => (s.Entry.At.UtcTicks, s.Id)).ToList();
        Assert.Equal(order.OrderByDescending(o => o.UtcTicks).ThenByDescending(o => o.Id).ToList(), order);
        Assert.All(seen.Take(25), s => Assert.Equal(T0, s.Entry.At));
    }

    [Fact]
    public async Task Filters_by_level_and_above_text_correlation_and_time_range()
    {
        await store.AppendAsync(
        [
            new ApplicationLogEntry(T0, "Information", "Kuroco.A", "started", null, "c1", null),
            new ApplicationLogEntry(T0.AddMinutes(1), "Warning", "Kuroco.B", "disk almost full", null, "c2", null),
            new ApplicationLogEntry(T0.AddMinutes(2), "Error", "Kuroco.C", "write failed 50%_done", "IOException", "c2", null),
            new ApplicationLogEntry(T0.AddDays(-3), "Critical", "Kuroco.D", "old crash", null, null, null),
        ]);

        async Task<string[]> Messages(LogQuery q) =>
            [.. (await store.ReadAsync(q)).Items.Select(i => ((ApplicationLogEntry)i.Entry).Message)];

        Assert.Equal(["write failed 50%_done", "disk almost full", "old crash"], await Messages(new LogQuery(LogKind.Application, Severity: "Warning")));
        Assert.Equal(["write failed 50%_done", "disk almost full"], await Messages(new LogQuery(LogKind.Application, CorrelationId: "c2")));
        Assert.Equal(["disk almost full"], await Messages(new LogQuery(LogKind.Application, Text: "ALMOST")));
        // LIKE wildcards in the text are literal.
        Assert.Equal(["write failed 50%_done"], await Messages(new LogQuery(LogKind.Application, Text: "50%_")));
        Assert.Empty(await Messages(new LogQuery(LogKind.Application, Text: "5%d")));
        Assert.Equal(["disk almost full", "started"], await Messages(new LogQuery(LogKind.Application, From: T0, To: T0.AddMinutes(2))));
    }

    [Fact]
    public async Task Api_status_class_and_exact_status_and_outcome_filters()
    {
        await store.AppendAsync(
        [
            new ApiRequestLogEntry(T0, "GET", "/api/a", 200, 1, null, null, null, null),
            new ApiRequestLogEntry(T0, "GET", "/api/b", 404, 1, null, null, null, null),
            new ApiRequestLogEntry(T0, "POST", "/api/c", 401, 1, null, null, null, null),
            new ApiRequestLogEntry(T0, "GET", "/api/d", 503, 1, null, null, null, null),
            Job(T0, "ok"),
            Job(T0, "bad", "Failed"),
        ]);

        async Task<string[]> Paths(string severity) =>
            [.. (await store.ReadAsync(new LogQuery(LogKind.ApiRequest, Severity: severity))).Items.Select(i => ((ApiRequestLogEntry)i.Entry).Path).Order()];

        Assert.Equal(["/api/b", "/api/c"], await Paths("4xx"));
        Assert.Equal(["/api/d"], await Paths("5xx"));
        Assert.Equal(["/api/b"], await Paths("404"));
        Assert.Empty(await Paths("abc"));
        var failed = await store.ReadAsync(new LogQuery(LogKind.Job, Severity: "Failed"));
        Assert.Equal("bad", ((JobLogEntry)Assert.Single(failed.Items).Entry).JobId);
    }

    [Fact]
    public async Task Stream_reads_every_match_across_pages()
    {
        await store.AppendAsync([.. Enumerable.Range(0, 2_500).Select(i => (LogEntry)Job(T0.AddMilliseconds(i % 3), i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

        var ids = new HashSet<long>();
        await foreach (var item in store.StreamAsync(new LogQuery(LogKind.Job, PageSize: 5)))
        {
            ids.Add(item.Id);
        }

        Assert.Equal(2_500, ids.Count);
    }

    [Fact]
    public async Task Purge_deletes_only_entries_older_than_the_cutoff_in_batches()
    {
        await store.AppendAsync([.. Enumerable.Range(0, 30).Select(i => (LogEntry)Job(T0.AddDays(-i), i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

        var first = await store.PurgeBatchAsync(T0.AddDays(-9.5), batchSize: 8);
        var second = await store.PurgeBatchAsync(T0.AddDays(-9.5), batchSize: 8);
        var third = await store.PurgeBatchAsync(T0.AddDays(-9.5), batchSize: 8);

        Assert.Equal([8, 8, 4], new[] { first, second, third });
        Assert.Equal(10, await store.CountAsync(LogKind.Job));
        var oldest = (await store.ReadAsync(new LogQuery(LogKind.Job, PageSize: 100))).Items[^1].Entry;
        Assert.Equal(T0.AddDays(-9), oldest.At);
    }

    [Fact]
    public async Task Retention_setting_is_kept_in_the_store()
    {
        Assert.Null(await store.GetRetentionMonthsAsync());
        await store.SetRetentionMonthsAsync(18);
        await store.SetRetentionMonthsAsync(24);
        Assert.Equal(24, await new SqliteLogStore(store.FilePath).GetRetentionMonthsAsync());
    }

    private static JobLogEntry Job(DateTimeOffset at, string id, string outcome = "Succeeded") =>
        new(at, id, "TestJob.ExecuteAsync", outcome, 5, outcome == "Failed" ? "boom" : null);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
