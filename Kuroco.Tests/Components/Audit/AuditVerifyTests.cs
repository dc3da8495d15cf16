using Bunit;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Audit;

/// <summary>Tampers with the log, so it has an app of its own.</summary>
public sealed class AuditVerifyTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Verify_runs_as_a_job_and_reports_an_intact_chain_then_the_first_tampered_entry()
    {
        for (var i = 0; i < 3; i++)
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditRecord(AuditActions.StaffUpdated, "Staff", $"s{i}", $"entry {i}")));
        }
        // The start of the run is recorded first, so the job checks it too.
        var total = await CountAsync() + 1;

        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-1", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<AuditLog>();

        cut.Find("[data-testid=audit-verify]").Click();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=audit-verify-result]").GetAttribute("data-intact")), Wait);
        Assert.Contains($"The audit log is intact: {total} entries verified.", cut.Find("[data-testid=audit-verify-result]").TextContent);
        Assert.Equal("100", cut.Find("[data-testid=audit-verify-result]").GetAttribute("data-percent"));
        Assert.Contains("entries/s.", cut.Find("[data-testid=audit-verify-result]").TextContent);
        var run = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditVerificationRuns>().GetLatestAsync());
        Assert.Equal(AuditVerificationStatus.Intact, run!.Status);
        Assert.Equal(total, run.CheckedEntries);
        Assert.Equal(run.TotalEntries, run.CheckedEntries);
        Assert.Equal(100, run.Percent);
        // The request and the check itself are recorded.
        var entries = await factory.AuditEntriesAsync();
        Assert.Equal(AuditActions.AuditVerificationRequested, entries[^2].Action);
        var recorded = entries[^1];
        Assert.Equal(AuditActions.AuditChainVerified, recorded.Action);
        Assert.Contains($"{total} entries verified", AuditText.English(recorded));

        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Database
            .ExecuteSqlRawAsync("UPDATE AuditEntries SET Summary = 'x' WHERE Sequence = 2"));

        cut.Find("[data-testid=audit-verify]").Click();
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=audit-verify-result]").GetAttribute("data-intact")), Wait);
        var result = cut.Find("[data-testid=audit-verify-result]");
        Assert.Equal("2", result.GetAttribute("data-broken-sequence"));
        Assert.Contains("the chain breaks at entry 2.", result.TextContent);
        Assert.Contains("it was edited after it was written", result.TextContent);
        var alert = await LatestAsync();
        Assert.Equal(AuditActions.AuditChainBroken, alert.Action);
        Assert.Equal(AuditOutcome.Failure, alert.Outcome);
        Assert.Equal("2", alert.EntityId);
    }

    private Task<long> CountAsync() => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().AuditEntries.LongCountAsync());

    private Task<AuditEntry> LatestAsync() => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync());
}

/// <summary>Deletes an entry, so it has an app of its own too.</summary>
public sealed class AuditVerifyDeletionTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_deleted_entry_is_reported_in_Japanese()
    {
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord(AuditActions.StaffUpdated, "Staff", "j", "entry j")));
        var total = await CountAsync();
        var victim = total - 1;
        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Database
            .ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = {victim}"));

        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("officer-1", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<AuditLog>();
        cut.Find("[data-testid=audit-verify]").Click();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=audit-verify-result]").GetAttribute("data-intact")), Wait);
        var text = cut.Find("[data-testid=audit-verify-result]").TextContent;
        Assert.Contains($"監査ログが改ざんされています：エントリ {victim + 1} でチェーンが途切れています。", text);
        Assert.Contains("連番が欠けています。エントリが削除されています。", text);
    }

    private Task<long> CountAsync() => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().AuditEntries.LongCountAsync());
}

/// <summary>A run in progress (left by another page, or another instance): a page opened later shows it.</summary>
public sealed class AuditVerifyProgressTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_page_opened_while_a_run_is_in_progress_shows_its_progress_and_speed()
    {
        var started = DateTime.UtcNow.AddSeconds(-10);
        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Database.ExecuteSqlAsync($"""
            INSERT INTO AuditVerificationRuns (Id, Status, RequestedAtUtc, RequestedBy, StartedAtUtc, UpdatedAtUtc, TotalEntries, CheckedEntries, Problem)
            VALUES ({Guid.NewGuid()}, {(int)AuditVerificationStatus.Running}, {started}, {"officer"}, {started}, {DateTime.UtcNow}, {400000L}, {100000L}, {0})
            """));

        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-1", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<AuditLog>();

        var progress = cut.WaitForElement("[data-testid=audit-verify-progress]", Wait);
        Assert.Equal("25", progress.GetAttribute("data-percent"));
        Assert.Contains("100,000 of 400,000 entries checked (25 %)", progress.TextContent);
        Assert.Matches(@"\d[\d,]* entries/s\.", progress.TextContent);
    }
}

/// <summary>A run whose process died (no heartbeat for minutes): the page says it was interrupted and starts a new run at once.</summary>
public sealed class AuditVerifyInterruptedTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_run_without_heartbeat_shows_as_interrupted_and_Verify_starts_a_new_one()
    {
        var dead = Guid.NewGuid();
        var started = DateTime.UtcNow.AddMinutes(-5);
        var heartbeat = DateTime.UtcNow.AddMinutes(-3);
        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Database.ExecuteSqlAsync($"""
            INSERT INTO AuditVerificationRuns (Id, Status, RequestedAtUtc, RequestedBy, StartedAtUtc, UpdatedAtUtc, TotalEntries, CheckedEntries, Problem)
            VALUES ({dead}, {(int)AuditVerificationStatus.Running}, {started}, {"officer"}, {started}, {heartbeat}, {400000L}, {100000L}, {0})
            """));

        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("officer-1", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<AuditLog>();

        var result = cut.WaitForElement("[data-testid=audit-verify-result]", Wait);
        Assert.Equal("true", result.GetAttribute("data-interrupted"));
        Assert.Contains("チェックは完了前に中断されました", result.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=audit-verify-progress]"));

        cut.Find("[data-testid=audit-verify]").Click();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=audit-verify-result]").GetAttribute("data-intact")), Wait);
        var latest = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditVerificationRuns>().GetLatestAsync());
        Assert.NotEqual(dead, latest!.Id);
        Assert.Equal(AuditVerificationStatus.Intact, latest.Status);
    }
}
