using Bunit;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Audit;

/// <summary>/audit/settings on the real app: the retention with its 12-month floor, the purge schedule, the last purge and the checkpoint.</summary>
public sealed class AuditSettingsPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Shows_the_defaults_refuses_11_months_with_the_promise_and_saves_24_months_audited()
    {
        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<AuditSettings>();
        var input = cut.WaitForElement("input[data-testid=audit-retention-months]", Wait);
        Assert.Equal("12", input.GetAttribute("value"));
        Assert.Equal("Daily at 03:45 (Asia/Tokyo)", cut.Find("[data-testid=audit-purge-schedule]").TextContent.Trim());
        Assert.Equal("Not run yet.", cut.Find("[data-testid=audit-purge-last]").TextContent.Trim());
        Assert.Contains("None: nothing has been purged", cut.Find("[data-testid=audit-checkpoint]").TextContent);
        var entries = (await factory.AuditEntriesAsync()).Count;

        cut.Find("input[data-testid=audit-retention-months]").Change("11");
        cut.Find("[data-testid=audit-retention-save]").Click();

        const string promise = "Audit logs must be kept at least 12 months: the security policy promises that logs are kept at least 12 months and reviewed by the security officer.";
        cut.WaitForAssertion(() =>
        {
            Assert.Contains(promise, cut.Find("[data-testid=audit-retention-errors]").TextContent);
            Assert.Equal(promise, cut.Find("input[data-testid=audit-retention-months]").Closest(".mud-input-control")!
                .QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim());
        }, Wait);
        Assert.Equal(12, (await GetAsync()).RetentionMonths);
        Assert.Equal(entries, (await factory.AuditEntriesAsync()).Count);

        cut.Find("input[data-testid=audit-retention-months]").Change("24");
        cut.Find("[data-testid=audit-retention-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Last changed by", cut.Find("[data-testid=audit-retention-updated]").TextContent), Wait);
        Assert.Empty(cut.FindAll("[data-testid=audit-retention-errors]"));
        Assert.Equal(24, (await GetAsync()).RetentionMonths);
        var changed = (await factory.AuditEntriesAsync())[^1];
        Assert.Equal(AuditActions.AuditRetentionChanged, changed.Action);
        Assert.Equal([new FieldChange("RetentionMonths", "12", "24")], AuditChanges.Deserialize(changed.Changes));
    }

    private Task<AuditRetentionSettings> GetAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionStore>().GetAsync());
}

/// <summary>A purge already ran: its own app, so the other page test sees none.</summary>
public sealed class AuditSettingsAfterPurgePageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task In_Japanese_shows_the_last_purge_and_the_checkpoint_and_refuses_the_floor()
    {
        var last = (await factory.AuditEntriesAsync())[0];
        var at = new DateTime(2026, 12, 1, 18, 45, 0, DateTimeKind.Utc);
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditAnchorStore>().WriteCheckpointAsync(new AuditCheckpoint(last.Sequence, last.Hash, at)));
        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Database.ExecuteSqlAsync($"""
            INSERT INTO AuditRetention (Id, RetentionMonths, CheckpointSequence, CheckpointHash, CheckpointPurgedAtUtc,
                LastPurgeAtUtc, LastPurgeCutoffUtc, LastPurgeCount, LastPurgeOutcome)
            VALUES (1, 12, {last.Sequence}, {last.Hash}, {at}, {at}, {new DateTime(2025, 12, 1, 18, 45, 0, DateTimeKind.Utc)}, {1234L}, {(int)AuditPurgeOutcome.Purged})
            ON CONFLICT (Id) DO UPDATE SET CheckpointSequence = excluded.CheckpointSequence, CheckpointHash = excluded.CheckpointHash,
                CheckpointPurgedAtUtc = excluded.CheckpointPurgedAtUtc, LastPurgeAtUtc = excluded.LastPurgeAtUtc,
                LastPurgeCutoffUtc = excluded.LastPurgeCutoffUtc, LastPurgeCount = excluded.LastPurgeCount, LastPurgeOutcome = excluded.LastPurgeOutcome
            """));

        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<AuditSettings>();
        cut.WaitForElement("input[data-testid=audit-retention-months]", Wait);

        Assert.Equal("毎日 03:45（Asia/Tokyo）", cut.Find("[data-testid=audit-purge-schedule]").TextContent.Trim());
        // Shown in the viewer's zone (Asia/Tokyo): 18:45 UTC is 03:45 the next day.
        cut.WaitForAssertion(() => Assert.Contains("2026-12-02 03:45:00", cut.Find("[data-testid=audit-purge-last]").TextContent), Wait);
        Assert.Contains("2025-12-01 より古いエントリを 1,234 件削除しました。", cut.Find("[data-testid=audit-purge-last]").TextContent);
        Assert.Contains($"チェーンはエントリ {last.Sequence} の次から始まります", cut.Find("[data-testid=audit-checkpoint]").TextContent);
        Assert.Contains(last.Hash, cut.Find("[data-testid=audit-checkpoint]").TextContent);

        cut.Find("input[data-testid=audit-retention-months]").Change("6");
        cut.Find("[data-testid=audit-retention-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("監査ログは最低12か月保管する必要があります。セキュリティ方針で",
            cut.Find("[data-testid=audit-retention-errors]").TextContent), Wait);
    }
}
