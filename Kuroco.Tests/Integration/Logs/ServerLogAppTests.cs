using Kuroco.Core.Audit;
using Kuroco.Core.Logs;
using Kuroco.Infrastructure.Logs;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Logs;

/// <summary>The server logs as the running app wires them: the logger provider, the retention setting and its purge.</summary>
public sealed class ServerLogAppTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task An_ILogger_line_lands_in_the_log_file_apart_from_the_main_database()
    {
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Kuroco.Tests.ServerLogs");
#pragma warning disable CA1848, CA2254 // A test line, once.
        logger.LogWarning(new InvalidOperationException("boom"), "Something happened: " + marker);
#pragma warning restore CA1848, CA2254
        var store = factory.Services.GetRequiredService<ILogStore>();

        var page = await Eventually.GetAsync(
            () => store.ReadAsync(new LogQuery(LogKind.Application, Text: marker)), p => p.Items.Count == 1, "the line is stored");

        var entry = (ApplicationLogEntry)page.Items[0].Entry;
        Assert.Equal("Warning", entry.Level);
        Assert.Equal("Kuroco.Tests.ServerLogs", entry.Category);
        Assert.Contains("InvalidOperationException: boom", entry.Exception, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, entry.At.Offset);
        Assert.Equal(Path.Combine(factory.DataPath, "server-logs.db"), factory.Services.GetRequiredService<SqliteLogStore>().FilePath);
    }

    [Fact]
    public async Task A_secret_in_a_log_line_is_never_stored()
    {
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Kuroco.Tests.ServerLogs");
#pragma warning disable CA1848 // A test line, once.
        logger.LogWarning("Created {Email} with the one-time password: {Password} ({Marker})", "admin@test.local", "Pa55-word-SHOWN-ONCE", marker);
#pragma warning restore CA1848
        var store = factory.Services.GetRequiredService<ILogStore>();

        var page = await Eventually.GetAsync(
            () => store.ReadAsync(new LogQuery(LogKind.Application, Text: marker)), p => p.Items.Count == 1, "the line is stored");

        Assert.Equal($"Created admin@test.local with the one-time password: *** ({marker})", ((ApplicationLogEntry)page.Items[0].Entry).Message);
    }

    [Fact]
    public async Task Retention_below_twelve_months_is_refused_with_the_promise_and_changes_nothing()
    {
        var before = await factory.AuditEntriesAsync();
        var (error, monthsBefore, months) = await factory.WithScopeAsync(async sp =>
        {
            var settings = sp.GetRequiredService<ILogRetentionSettings>();
            using var _ = new CultureScope("en");
            var current = await settings.GetMonthsAsync();
            return (await settings.SetMonthsAsync(11), current, await settings.GetMonthsAsync());
        });

        Assert.NotNull(error);
        Assert.Contains("at least 12 months", error, StringComparison.Ordinal);
        Assert.Equal(monthsBefore, months);
        Assert.Equal(before.Count(e => e.Action == AuditActions.LogRetentionChanged),
            (await factory.AuditEntriesAsync()).Count(e => e.Action == AuditActions.LogRetentionChanged));

        var japanese = await factory.WithScopeAsync(async sp =>
        {
            using var _ = new CultureScope("ja");
            return await sp.GetRequiredService<ILogRetentionSettings>().SetMonthsAsync(121);
        });
        Assert.Contains("12 か月", japanese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retention_change_is_saved_and_audited_and_the_purge_uses_it()
    {
        await factory.WithScopeAsync(async sp => Assert.Null(await sp.GetRequiredService<ILogRetentionSettings>().SetMonthsAsync(24)));

        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.LogRetentionChanged);
        Assert.Contains("to 24 months", AuditText.English(entry), StringComparison.Ordinal);

        // The purge with a fake clock: 24 months back from "now" is the cutoff.
        var now = new DateTimeOffset(2030, 6, 15, 0, 0, 0, TimeSpan.Zero);
        var store = factory.Services.GetRequiredService<ILogStore>();
        var jobId = Guid.NewGuid().ToString("N");
        await store.AppendAsync(
        [
            new JobLogEntry(now.AddMonths(-24).AddDays(-1), jobId, "Old.Run", "Succeeded", 1, null),
            new JobLogEntry(now.AddMonths(-24).AddDays(1), jobId, "Kept.Run", "Succeeded", 1, null),
        ]);
        var purged = await factory.WithScopeAsync(sp => new LogRetentionPurgeJob(
            store, sp.GetRequiredService<ILogRetentionSettings>(), new FakeTimeProvider(now),
            Options.Create(new ServerLogOptions { PurgeBatchSize = 100 }), NullLoggerFor()).PurgeAsync(CancellationToken.None));

        Assert.True(purged >= 1);
        var left = await store.ReadAsync(new LogQuery(LogKind.Job, Text: jobId));
        Assert.Equal("Kept.Run", ((JobLogEntry)Assert.Single(left.Items).Entry).JobName);
    }

    private static ILogger<LogRetentionPurgeJob> NullLoggerFor() => Microsoft.Extensions.Logging.Abstractions.NullLogger<LogRetentionPurgeJob>.Instance;
}
