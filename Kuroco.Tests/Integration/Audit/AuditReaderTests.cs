using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// The reader's additions on the real SQLite database. Rows are inserted directly with chosen times
/// (the chain is not the point here), so this class has an app of its own.
/// </summary>
public sealed class AuditReaderTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    [Fact]
    public async Task Counts_per_day_fall_on_the_days_of_the_zone_asked_for()
    {
        var action = "test.count-" + Guid.NewGuid().ToString("N")[..6];
        await InsertAsync(
            Row(action, new DateTime(2026, 1, 9, 14, 30, 0, DateTimeKind.Utc)),   // 9 Jan 23:30 in Tokyo
            Row(action, new DateTime(2026, 1, 9, 15, 30, 0, DateTimeKind.Utc)),   // 10 Jan 00:30 in Tokyo
            Row(action, new DateTime(2026, 1, 10, 14, 59, 59, DateTimeKind.Utc)), // 10 Jan 23:59:59 in Tokyo
            Row(action, new DateTime(2026, 1, 10, 15, 0, 0, DateTimeKind.Utc)),   // 11 Jan 00:00, outside
            Row("test.other", new DateTime(2026, 1, 9, 16, 0, 0, DateTimeKind.Utc)));

        var tokyo = await ReadAsync(r => r.CountPerDayAsync([action], new DateOnly(2026, 1, 9), 2, Tokyo));
        Assert.Equal(
            [new AuditDailyCount(new DateOnly(2026, 1, 9), action, 1), new AuditDailyCount(new DateOnly(2026, 1, 10), action, 2)],
            tokyo);

        var utc = await ReadAsync(r => r.CountPerDayAsync([action], new DateOnly(2026, 1, 9), 3, TimeZoneInfo.Utc));
        Assert.Equal([2, 2, 0], utc.Select(c => c.Count));
    }

    [Fact]
    public async Task Stream_returns_every_matching_entry_newest_first_across_batches_up_to_the_pinned_sequence()
    {
        var action = "test.stream-" + Guid.NewGuid().ToString("N")[..6];
        var start = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
        await InsertAsync([.. Enumerable.Range(0, 1203).Select(i => Row(action, start.AddSeconds(i)))]);

        var all = await ReadAsync(r => r.StreamAsync(new AuditQuery(Action: action, PageSize: 1)).ToListAsync().AsTask());
        Assert.Equal(1203, all.Count);
        Assert.Equal(all.Select(e => e.Sequence).OrderDescending(), all.Select(e => e.Sequence));

        var pinned = await ReadAsync(r => r.StreamAsync(new AuditQuery(Action: action) { MaxSequence = all[3].Sequence }).ToListAsync().AsTask());
        Assert.Equal(1200, pinned.Count);
        Assert.Equal(all[3].Sequence, pinned[0].Sequence);
    }

    [Fact]
    public async Task Text_search_ignores_case_and_takes_wildcards_literally()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var when = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await InsertAsync(
            Row("test.text", when, $"Alice-{tag} raised quota to 100%"),
            Row("test.text", when, $"alice-{tag} raised quota to 1000"),
            Row("test.text", when, $"bob_{tag} signed in"),
            Row("test.text", when, $"bobx{tag} signed in"));

        Assert.Equal(2, (await SearchAsync($"ALICE-{tag}")).TotalCount);
        Assert.Equal([$"Alice-{tag} raised quota to 100%"], (await SearchAsync($"{tag} raised quota to 100%")).Items.Select(e => e.Summary));
        Assert.Equal([$"bob_{tag} signed in"], (await SearchAsync($"bob_{tag}")).Items.Select(e => e.Summary));
    }

    [Fact]
    public async Task Latest_of_several_actions_is_found()
    {
        var a = "test.latest-a-" + Guid.NewGuid().ToString("N")[..6];
        var b = "test.latest-b-" + Guid.NewGuid().ToString("N")[..6];
        var when = new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Null(await ReadAsync(r => r.FindLatestAsync([a, b])));
        await InsertAsync(Row(a, when, "first"), Row(b, when, "second"), Row("test.unrelated", when, "third"));

        var latest = await ReadAsync(r => r.FindLatestAsync([a, b]));
        Assert.Equal("second", latest?.Summary);
    }

    private Task<AuditPage> SearchAsync(string text) =>
        ReadAsync(r => r.SearchAsync(new AuditQuery(Text: text, Action: "test.text")));

    private Task<T> ReadAsync<T>(Func<IAuditReader, Task<T>> read) =>
        factory.WithScopeAsync(sp => read(sp.GetRequiredService<IAuditReader>()));

    private static AuditEntry Row(string action, DateTime utc, string summary = "s") => new()
    {
        OccurredAtUtc = utc,
        ActorName = "test",
        Action = action,
        EntityType = "Test",
        Summary = summary,
        PreviousHash = AuditHasher.GenesisHash,
        Hash = AuditHasher.GenesisHash,
    };

    private Task InsertAsync(params AuditEntry[] rows) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        var next = (db.AuditEntries.Max(e => (long?)e.Sequence) ?? 0) + 1;
        foreach (var row in rows)
        {
            row.Sequence = next++;
        }
        db.AuditEntries.AddRange(rows);
        await db.SaveChangesAsync();
    });
}
