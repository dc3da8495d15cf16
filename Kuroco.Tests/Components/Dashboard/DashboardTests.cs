using System.Globalization;
using Bunit;
using Kuroco.Admin.Components.Pages;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Dashboard;

public sealed class DashboardTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Security_officers_see_sign_ins_per_day_and_the_audit_chain_status()
    {
        // Only this test of the class writes sign-ins, so the totals are exact.
        for (var i = 0; i < 3; i++)
        {
            await WriteAsync(new AuditRecord(AuditActions.SignInSucceeded, "Staff", "u1", "signed in"));
        }
        for (var i = 0; i < 2; i++)
        {
            await WriteAsync(new AuditRecord(AuditActions.SignInFailed, "Staff", null, "wrong password", AuditOutcome.Failure));
        }
        await WriteAsync(new AuditRecord(AuditActions.AuditChainVerified, "AuditLog", null, "Audit chain intact."));

        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-1", "officer@test.local", StaffRoles.SecurityOfficer);
        test.Auth.SetPolicies(AreaPolicies.Audit);
        var cut = test.Context.Render<Home>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=dashboard-signins-totals]")), Wait);
        Assert.Equal("Sign-ins: 3 · failed: 2 (days in Asia/Tokyo)", cut.Find("[data-testid=dashboard-signins-totals]").TextContent.Trim());
        var chart = cut.Find("[data-testid=dashboard-signins]");
        Assert.NotNull(chart.QuerySelector("svg"));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")));
        Assert.Contains(today.ToString("M/d", CultureInfo.InvariantCulture), chart.TextContent);
        Assert.Contains(today.AddDays(-13).ToString("M/d", CultureInfo.InvariantCulture), chart.TextContent);
        Assert.Contains("Failed sign-ins", chart.TextContent);
        Assert.Contains($"action={AuditActions.SignInFailed}", cut.Find("[data-testid=dashboard-failed-signins-link]").GetAttribute("href"));

        Assert.Equal("intact", cut.Find("[data-testid=dashboard-audit-chain-status]").GetAttribute("data-status"));
        Assert.Contains("welcome", cut.Markup);
        // No Monitoring policy: no health card.
        Assert.Empty(cut.FindAll("[data-testid=dashboard-health]"));
    }

    [Fact]
    public async Task A_broken_chain_found_by_the_last_check_is_shown()
    {
        await WriteAsync(new AuditRecord(AuditActions.AuditChainBroken, "AuditLog", "17", "Audit chain broken at entry 17.", AuditOutcome.Failure));

        await using var test = new ComponentTestContext(factory);
        test.SignIn("admin-1", "admin@test.local", StaffRoles.Administrator);
        test.Auth.SetPolicies(AreaPolicies.Audit, AreaPolicies.Monitoring);
        var cut = test.Context.Render<Home>();

        cut.WaitForAssertion(() => Assert.Equal("broken", cut.Find("[data-testid=dashboard-audit-chain-status]").GetAttribute("data-status")), Wait);
        Assert.Contains("the chain breaks at entry 17.", cut.Find("[data-testid=dashboard-audit-chain-status]").TextContent);
        // Administrators also see the health card.
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid=dashboard-health-check]").Count), Wait);
    }

    [Fact]
    public async Task Operators_see_the_health_summary_but_no_audit_cards()
    {
        await using var test = new ComponentTestContext(factory);
        test.SignIn("operator-1", "operator@test.local", StaffRoles.Operator);
        test.Auth.SetPolicies(AreaPolicies.Monitoring);
        var cut = test.Context.Render<Home>();

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid=dashboard-health-check]").Count), Wait);
        Assert.All(cut.FindAll("[data-testid=dashboard-health-check]"), c => Assert.Equal("Healthy", c.GetAttribute("data-status")));
        Assert.Equal("Healthy", cut.Find("[data-testid=dashboard-health-overall] [data-testid=health-status]").GetAttribute("data-status"));
        Assert.Empty(cut.FindAll("[data-testid=dashboard-signins]"));
        Assert.Empty(cut.FindAll("[data-testid=dashboard-audit-chain]"));
    }

    [Fact]
    public async Task Content_editors_see_only_the_welcome_card()
    {
        await using var test = new ComponentTestContext(factory);
        test.SignIn("editor-1", "editor@test.local", StaffRoles.ContentEditor);
        test.Auth.SetPolicies(AreaPolicies.Content, AreaPolicies.Members);
        var cut = test.Context.Render<Home>();

        Assert.NotNull(cut.Find("[data-testid=welcome]"));
        Assert.Empty(cut.FindAll("[data-testid=dashboard-signins]"));
        Assert.Empty(cut.FindAll("[data-testid=dashboard-audit-chain]"));
        Assert.Empty(cut.FindAll("[data-testid=dashboard-health]"));
    }

    [Fact]
    public async Task Japanese_culture_shows_Japanese()
    {
        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("admin-1", "admin@test.local", StaffRoles.Administrator);
        test.Auth.SetPolicies(AreaPolicies.Audit, AreaPolicies.Monitoring);
        var cut = test.Context.Render<Home>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=dashboard-signins-totals]")), Wait);
        Assert.Contains("サインイン失敗", cut.Find("[data-testid=dashboard-signins]").TextContent);
        Assert.Contains("監査ログの整合性", cut.Find("[data-testid=dashboard-audit-chain]").TextContent);
        cut.WaitForAssertion(() => Assert.Contains("データベース", cut.Find("[data-testid=dashboard-health]").TextContent), Wait);
        Assert.Contains("システムの状態", cut.Find("[data-testid=dashboard-health]").TextContent);
    }

    private Task<AuditEntry> WriteAsync(AuditRecord record) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(record));
}
