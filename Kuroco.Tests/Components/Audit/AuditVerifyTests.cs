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
    public async Task Verify_reports_an_intact_chain_then_the_first_tampered_entry()
    {
        for (var i = 0; i < 3; i++)
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditRecord(AuditActions.StaffUpdated, "Staff", $"s{i}", $"entry {i}")));
        }
        var total = await CountAsync();

        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-1", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<AuditLog>();

        cut.Find("[data-testid=audit-verify]").Click();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=audit-verify-result]").GetAttribute("data-intact")), Wait);
        Assert.Contains($"The audit log is intact: {total} entries verified.", cut.Find("[data-testid=audit-verify-result]").TextContent);
        // The check itself is recorded.
        var recorded = await LatestAsync();
        Assert.Equal(AuditActions.AuditChainVerified, recorded.Action);
        Assert.Contains($"intact, {total} entries", recorded.Summary);

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
