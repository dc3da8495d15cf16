using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// The audit search on the real SQLite database (migrated, with the FTS5 trigram index and its triggers). Rows are inserted
/// directly with chosen times and values (the chain is not the point here), each test under its own marker.
/// </summary>
public sealed class AuditSearchTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task Keyset_paging_walks_entries_with_equal_timestamps_without_gaps_or_repeats_both_ways()
    {
        var action = NewAction();
        var t0 = new DateTime(2026, 5, 1, 9, 0, 0, DateTimeKind.Utc);
        // Seven entries share one instant, and a later-sequence entry is older than earlier ones (a clock set back).
        var rows = new List<AuditEntry>();
        rows.AddRange(Enumerable.Range(0, 7).Select(_ => Row(action, t0)));
        rows.Add(Row(action, t0.AddSeconds(5)));
        rows.Add(Row(action, t0.AddSeconds(-5)));
        rows.Add(Row(action, t0.AddSeconds(5)));
        await InsertAsync([.. rows]);
        var expected = rows.OrderByDescending(r => r.OccurredAtUtc).ThenByDescending(r => r.Sequence).Select(r => r.Sequence).ToList();

        var seen = new List<long>();
        var pages = new List<AuditPage>();
        AuditCursor? older = null;
        do
        {
            var page = await SearchAsync(new AuditQuery(Action: action, PageSize: 3) { Older = older });
            pages.Add(page);
            seen.AddRange(page.Items.Select(e => e.Sequence));
            older = page.Older;
        }
        while (older is not null);

        Assert.Equal(expected, seen);
        Assert.Equal([3, 3, 3, 1], pages.Select(p => p.Items.Count));
        Assert.Null(pages[0].Newer);
        Assert.All(pages.Skip(1), p => Assert.NotNull(p.Newer));
        Assert.All(pages, p => Assert.Equal(10, p.TotalCount));

        // And back up from the last page: the same pages, newest first within each.
        var back = new List<IReadOnlyList<long>>();
        var newer = pages[^1].Newer;
        while (newer is not null)
        {
            var page = await SearchAsync(new AuditQuery(Action: action, PageSize: 3) { Newer = newer });
            back.Add([.. page.Items.Select(e => e.Sequence)]);
            newer = page.Newer;
        }
        Assert.Equal(pages.Take(3).Reverse().Select(p => p.Items.Select(e => e.Sequence).ToList()), back);
    }

    [Fact]
    public async Task Each_filter_narrows_the_result()
    {
        var action = NewAction();
        var other = NewAction();
        var t = new DateTime(2026, 6, 10, 3, 0, 0, DateTimeKind.Utc);
        var alice = Row(action, t, "alice edits", actor: "alice@test.local", roles: "Administrator,SecurityOfficer", ip: "203.0.113.7", entity: ("Staff", "s-1"));
        var bob = Row(action, t.AddMinutes(1), "bob edits", actor: "bob@test.local", roles: "ContentEditor", ip: "203.0.113.200", entity: ("ContentItem", "c-9"));
        var carol = Row(other, t.AddDays(2), "carol fails", actor: "carol@test.local", roles: "SecurityOfficerDeputy", ip: "198.51.100.20", outcome: AuditOutcome.Failure, entity: ("Staff", "s-2"));
        var dave = Row(action, t.AddDays(3), "dave denied", actor: "dave@test.local", roles: "", ip: "2001:db8:5::1", outcome: AuditOutcome.Denied, entity: ("Page", "/audit"));
        var mapped = Row(action, t.AddDays(3), "mapped v4", actor: "erin@test.local", roles: "", ip: "::ffff:203.0.113.9", entity: ("Page", "/x"));
        await InsertAsync(alice, bob, carol, dave, mapped);
        var both = new AuditQuery { Actions = [action, other] };

        async Task<List<long>> Find(AuditQuery q) => [.. (await SearchAsync(q)).Items.Select(e => e.Sequence).Order()];

        Assert.Equal([alice.Sequence, bob.Sequence, carol.Sequence, dave.Sequence, mapped.Sequence], await Find(both));
        Assert.Equal([carol.Sequence], await Find(new AuditQuery(Action: other)));
        Assert.Equal([bob.Sequence], await Find(both with { User = "bob@test.local" }));
        Assert.Equal([alice.Sequence], await Find(both with { User = alice.ActorId }));
        // A whole role name: "SecurityOfficerDeputy" is not "SecurityOfficer".
        Assert.Equal([alice.Sequence], await Find(both with { Role = "SecurityOfficer" }));
        Assert.Equal([alice.Sequence, carol.Sequence], await Find(both with { EntityType = "Staff" }));
        Assert.Equal([carol.Sequence], await Find(both with { EntityType = "Staff", EntityId = "s-2" }));
        Assert.Equal([carol.Sequence], await Find(both with { Outcome = AuditOutcome.Failure }));
        Assert.Equal([dave.Sequence], await Find(both with { Outcome = AuditOutcome.Denied }));
        Assert.Equal([alice.Sequence], await Find(both with { Address = Range("203.0.113.7") }));
        Assert.Equal([alice.Sequence, bob.Sequence, mapped.Sequence], await Find(both with { Address = Range("203.0.113.0/24") }));
        Assert.Equal([alice.Sequence, mapped.Sequence], await Find(both with { Address = Range("203.0.113.0/25") }));
        Assert.Equal([dave.Sequence], await Find(both with { Address = Range("2001:db8::/32") }));
        Assert.Equal([carol.Sequence, dave.Sequence, mapped.Sequence], await Find(both with { FromUtc = t.AddDays(1) }));
        Assert.Equal([alice.Sequence, bob.Sequence], await Find(both with { ToUtc = t.AddDays(1) }));
        Assert.Equal([bob.Sequence], await Find(both with { Text = "bob", Address = Range("203.0.113.0/24"), FromUtc = t, ToUtc = t.AddDays(1) }));
    }

    [Fact]
    public async Task Japanese_free_text_matches_without_spaces_through_the_trigram_index_and_short_words_fall_back_to_like()
    {
        var action = NewAction();
        var t = new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc);
        var changed = Row(action, t, "佐藤花子がパスワードを変更しました。");
        var published = Row(action, t.AddMinutes(1), "田中がコンテンツ「年末年始の営業について」を公開しました。");
        var english = Row(action, t.AddMinutes(2), "Alice changed the PASSWORD policy.", changes: """[{"Field":"MinimumLength","Before":"8","After":"12"}]""");
        await InsertAsync(changed, published, english);

        async Task<List<long>> Find(string text) => [.. (await SearchAsync(new AuditQuery(Text: text, Action: action))).Items.Select(e => e.Sequence).Order()];

        Assert.Equal([changed.Sequence], await Find("パスワード"));
        Assert.Equal([changed.Sequence], await Find("変更しま"));
        Assert.Equal([published.Sequence], await Find("年末年始"));
        Assert.Equal([published.Sequence], await Find("営業 田中"));
        Assert.Empty(await Find("営業 佐藤"));
        // Case does not matter; the changes are searched too.
        Assert.Equal([english.Sequence], await Find("password"));
        Assert.Equal([english.Sequence], await Find("MinimumLength"));
        // Two characters are below a trigram: a LIKE over the newest entries, still matching Japanese.
        Assert.Equal([changed.Sequence], await Find("花子"));
        Assert.Equal([changed.Sequence, published.Sequence], await Find("した"));
        Assert.Equal([published.Sequence], await Find("した 田"));
        // FTS5 syntax in the text is matched as text, never run.
        Assert.Empty(await Find("\"パスワード\" OR NOT *"));
    }

    [Fact]
    public async Task Words_of_the_summary_an_officer_reads_find_language_neutral_entries_in_both_languages()
    {
        var email = "rs" + Guid.NewGuid().ToString("N")[..8] + "@test.local";
        // Stored without prose (action + parameters); shown as "Staff account … updated." / "スタッフアカウント … を更新しました。"
        var written = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord(AuditActions.StaffUpdated, "Staff", "s-9", AuditParameters.Of(("email", email)))));
        Assert.Equal("", written.Summary);

        async Task<List<long>> Find(string text) => [.. (await SearchAsync(new AuditQuery(Text: text))).Items.Select(e => e.Sequence)];

        Assert.Equal([written.Sequence], await Find($"{email} updated"));
        Assert.Equal([written.Sequence], await Find($"{email} スタッフアカウント"));
        Assert.Equal([written.Sequence], await Find($"{email} staff account"));
        // Two characters go through LIKE, which reads the rendered summaries too.
        Assert.Equal([written.Sequence], await Find($"{email} 更新"));
        Assert.Empty(await Find($"{email} deleted"));
        Assert.Empty(await Find($"{email} 削除"));
    }

    [Fact]
    public async Task Appends_leave_index_segments_unmerged_and_the_daily_job_merges_them_keeping_every_hit()
    {
        var marker = "seg" + Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < 12; i++)
        {
            // Each append its own transaction, as in the app: each adds a segment (FTS5's automerge is off).
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditRecord(AuditActions.StaffUpdated, "Staff", "s-" + i, AuditParameters.Of(("email", $"{marker}{i}@test.local")))));
        }
        async Task<long> SegmentsAsync() => await factory.WithScopeAsync(async sp =>
            (await sp.GetRequiredService<KurocoDbContext>().Database
                .SqlQueryRaw<long>("SELECT count(DISTINCT \"segid\") AS \"Value\" FROM \"AuditSearch_idx\"").ToListAsync()).Single());
        var automerge = await factory.WithScopeAsync(async sp => (await sp.GetRequiredService<KurocoDbContext>().Database
            .SqlQueryRaw<long>("SELECT \"v\" AS \"Value\" FROM \"AuditSearch_config\" WHERE \"k\" = 'automerge'").ToListAsync()).Single());
        Assert.Equal(0, automerge);
        var before = await SegmentsAsync();
        Assert.True(before >= 2, $"{before} segments after twelve appends");

        var steps = await factory.WithScopeAsync(sp => sp.GetRequiredService<AuditSearchIndexMaintenance>().MergeAsync(CancellationToken.None));

        Assert.True(steps > 0);
        Assert.True(await SegmentsAsync() < before);
        Assert.Equal(12, (await SearchAsync(new AuditQuery(Text: marker, PageSize: 50))).Items.Count);
        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Database
            .ExecuteSqlRawAsync("INSERT INTO \"AuditSearch\" (\"AuditSearch\", rank) VALUES ('integrity-check', 1)"));
    }

    [Fact]
    public async Task The_search_index_is_written_with_the_append_and_follows_deletes()
    {
        var marker = "idx" + Guid.NewGuid().ToString("N")[..10];
        var written = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord(AuditActions.StaffUpdated, "Staff", "s-1", $"Renamed to 監査{marker}")));

        Assert.Equal([written.Sequence], (await SearchAsync(new AuditQuery(Text: $"監査{marker}"))).Items.Select(e => e.Sequence));

        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var hits = await db.Database.SqlQueryRaw<long>($"SELECT rowid AS \"Value\" FROM \"AuditSearch\" WHERE \"AuditSearch\" MATCH {{0}}", $"\"{marker}\"").ToListAsync();
            Assert.Equal([written.Sequence], hits);
            // Retention removes old entries with a plain DELETE: the index entry goes with the row.
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = {written.Sequence}");
            hits = await db.Database.SqlQueryRaw<long>($"SELECT rowid AS \"Value\" FROM \"AuditSearch\" WHERE \"AuditSearch\" MATCH {{0}}", $"\"{marker}\"").ToListAsync();
            Assert.Empty(hits);
            // The index stays consistent (an external-content index would report corruption here).
            await db.Database.ExecuteSqlRawAsync("INSERT INTO \"AuditSearch\" (\"AuditSearch\", rank) VALUES ('integrity-check', 1)");
        });
        Assert.Empty((await SearchAsync(new AuditQuery(Text: $"監査{marker}"))).Items);
    }

    [Fact]
    public async Task The_total_is_exact_up_to_ten_thousand_and_counted_exactly_only_when_asked()
    {
        var action = NewAction();
        var t = new DateTime(2026, 8, 1, 0, 0, 0, DateTimeKind.Utc);
        var word = "cap" + Guid.NewGuid().ToString("N")[..8];
        await InsertAsync([.. Enumerable.Range(0, AuditQuery.CountCap + 5).Select(i => Row(action, t.AddSeconds(i), $"{word} row {i}"))]);

        var capped = await SearchAsync(new AuditQuery(Action: action, PageSize: 10));
        Assert.False(capped.TotalIsExact);
        Assert.Equal(AuditQuery.CountCap, capped.TotalCount);
        Assert.Equal(10, capped.Items.Count);

        var exact = await SearchAsync(new AuditQuery(Action: action, PageSize: 10) { CountExactly = true });
        Assert.True(exact.TotalIsExact);
        Assert.Equal(AuditQuery.CountCap + 5, exact.TotalCount);

        var few = await SearchAsync(new AuditQuery(Action: action, FromUtc: t.AddSeconds(AuditQuery.CountCap), PageSize: 10));
        Assert.True(few.TotalIsExact);
        Assert.Equal(5, few.TotalCount);

        // The same through the full-text index: counted in chunks of hits, capped the same way.
        var text = await SearchAsync(new AuditQuery(Text: word, PageSize: 10));
        Assert.False(text.TotalIsExact);
        Assert.Equal(AuditQuery.CountCap, text.TotalCount);
        Assert.Equal(10, text.Items.Count);
        var textExact = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().CountAsync(new AuditQuery(Text: word) { CountExactly = true }));
        Assert.Equal(new AuditTotal(AuditQuery.CountCap + 5, true), textExact);
    }

    [Fact]
    public async Task Free_text_reads_the_index_newest_first_in_chunks_and_tests_the_other_filters_on_its_hits()
    {
        var action = NewAction();
        var other = NewAction();
        var word = "needle" + Guid.NewGuid().ToString("N")[..8];
        var t = new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc);
        // 1,000 entries carry the word; only every seventh is of the action asked for, so its hits are spread over
        // several chunks of the index (the first chunk is 200 hits) and the read must go on past chunks with few of them.
        var rows = Enumerable.Range(0, 1000).Select(i => Row(i % 7 == 0 ? action : other, t.AddSeconds(i), $"{word} entry {i}")).ToArray();
        await InsertAsync(rows);
        var expected = rows.Where(r => r.Action == action).OrderByDescending(r => r.Sequence).Select(r => r.Sequence).ToList();

        var pages = new List<AuditPage>();
        AuditCursor? older = null;
        do
        {
            var page = await SearchAsync(new AuditQuery(Text: word, Action: action, PageSize: 20) { Older = older });
            pages.Add(page);
            older = page.Older;
        }
        while (older is not null);
        Assert.Equal(expected, pages.SelectMany(p => p.Items.Select(e => e.Sequence)));
        Assert.All(pages, p => Assert.Equal((expected.Count, true), (p.TotalCount, p.TotalIsExact)));
        Assert.Null(pages[0].Newer);
        Assert.All(pages.Skip(1), p => Assert.NotNull(p.Newer));

        // Back up from the last page: the same pages.
        var back = new List<List<long>>();
        var newer = pages[^1].Newer;
        while (newer is not null)
        {
            var page = await SearchAsync(new AuditQuery(Text: word, Action: action, PageSize: 20) { Newer = newer });
            back.Add([.. page.Items.Select(e => e.Sequence)]);
            newer = page.Newer;
        }
        Assert.Equal(pages.Take(pages.Count - 1).Reverse().Select(p => p.Items.Select(e => e.Sequence).ToList()), back);

        // Every hit, newest first; a time range bounds the index read.
        var all = await SearchAsync(new AuditQuery(Text: word, PageSize: 50));
        Assert.Equal(rows.OrderByDescending(r => r.Sequence).Take(50).Select(r => r.Sequence), all.Items.Select(e => e.Sequence));
        Assert.Equal(1000, all.TotalCount);
        var late = await SearchAsync(new AuditQuery(Text: word, FromUtc: t.AddSeconds(900), ToUtc: t.AddSeconds(950), PageSize: 100));
        Assert.Equal(rows.Skip(900).Take(50).Reverse().Select(r => r.Sequence), late.Items.Select(e => e.Sequence));
        Assert.Equal(50, late.TotalCount);

        // The console asks for the rows first and the total after.
        var rowsOnly = await SearchAsync(new AuditQuery(Text: word, Action: action, PageSize: 20) { WithoutTotal = true });
        Assert.False(rowsOnly.TotalIsCounted);
        Assert.Equal(expected.Take(20), rowsOnly.Items.Select(e => e.Sequence));
        var total = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().CountAsync(new AuditQuery(Text: word, Action: action)));
        Assert.Equal(new AuditTotal(expected.Count, true), total);
    }

    private static AuditAddressRange Range(string text)
    {
        Assert.True(AuditAddressRange.TryParse(text, out var range), text);
        return range!;
    }

    private static string NewAction() => "test.search-" + Guid.NewGuid().ToString("N")[..8];

    private Task<AuditPage> SearchAsync(AuditQuery query) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().SearchAsync(query));

    private static AuditEntry Row(
        string action, DateTime utc, string summary = "s", string actor = "test", string roles = "", string? ip = null,
        AuditOutcome outcome = AuditOutcome.Success, (string Type, string Id)? entity = null, string? changes = null) => new()
    {
        OccurredAtUtc = utc,
        ActorId = "id-" + actor,
        ActorName = actor,
        ActorRoles = roles,
        Action = action,
        EntityType = entity?.Type ?? "Test",
        EntityId = entity?.Id,
        Summary = summary,
        Changes = changes,
        Outcome = outcome,
        IpAddress = ip,
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
