using System.Text.RegularExpressions;
using Bunit;
using Kuroco.Admin.Components.Pages.Monitoring;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Components.Monitoring;

public sealed partial class SystemHealthPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Runs_the_registered_health_checks_and_shows_the_process_figures()
    {
        await using var test = NewContext();
        var cut = test.Context.Render<SystemHealth>();

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid=health-check]").Count), Wait);
        var checks = cut.FindAll("[data-testid=health-check]").ToDictionary(e => e.GetAttribute("data-check")!);
        Assert.Equal(["backup-storage", "database", "jobs", "mail", "maintenance"], checks.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Mail provider", checks["mail"].TextContent);
        Assert.Contains("Backup storage", checks["backup-storage"].TextContent);
        Assert.Contains("Database", checks["database"].TextContent);
        Assert.Contains("Job storage", checks["jobs"].TextContent);
        Assert.Contains("Maintenance mode", checks["maintenance"].TextContent);
        Assert.All(checks.Values, c =>
        {
            Assert.Equal("Healthy", c.QuerySelector("[data-testid=health-status]")!.GetAttribute("data-status"));
            Assert.Matches(DurationPattern(), c.QuerySelector("[data-testid=health-check-duration]")!.TextContent);
        });
        Assert.Equal("Healthy", cut.Find("[data-testid=health-overall] [data-testid=health-status]").GetAttribute("data-status"));
        Assert.Matches(UptimePattern(), cut.Find("[data-testid=health-uptime]").TextContent);
        Assert.Matches(MemoryPattern(), cut.Find("[data-testid=health-working-set]").TextContent);
    }

    [Fact]
    public async Task Refresh_runs_the_checks_again()
    {
        await using var test = NewContext();
        var cut = test.Context.Render<SystemHealth>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=health-checked-at] time")), Wait);
        var first = cut.Find("[data-testid=health-checked-at] time").GetAttribute("datetime");

        await Task.Delay(20);
        cut.Find("[data-testid=health-refresh]").Click();

        cut.WaitForAssertion(() => Assert.NotEqual(first, cut.Find("[data-testid=health-checked-at] time").GetAttribute("datetime")), Wait);
        Assert.Equal(5, cut.FindAll("[data-testid=health-check]").Count);
    }

    [Fact]
    public async Task Japanese_culture_shows_Japanese()
    {
        await using var test = NewContext("ja-JP");
        var cut = test.Context.Render<SystemHealth>();
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid=health-check]").Count), Wait);

        Assert.Equal("システムの状態", cut.Find("h1").TextContent);
        Assert.Contains("データベース", cut.Find("[data-testid=health-checks]").TextContent);
        Assert.Contains("正常", cut.Find("[data-testid=health-overall]").TextContent);
        Assert.Contains("稼働時間", cut.Find("[data-testid=health-process]").TextContent);
    }

    private ComponentTestContext NewContext(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("operator-1", "operator@test.local", StaffRoles.Operator);
        return test;
    }

    [GeneratedRegex(@"^[\d.,]+ ms$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(\d+ d \d+ h \d+ min|\d+ h \d+ min|\d+ min \d+ s)$")]
    private static partial Regex UptimePattern();

    [GeneratedRegex(@"^[1-9][\d,]*\.\d MiB$")]
    private static partial Regex MemoryPattern();
}
