using Bunit;
using Kuroco.Admin.Components.Pages.Monitoring;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Components.Monitoring;

/// <summary>
/// The app with its sampling loop off (the tests write the samples), a 1-second interval and a fake clock: the page's
/// live update is its real timer, made to tick by advancing the clock, so the test does not depend on how soon a
/// loaded machine runs a timer.
/// </summary>
public sealed class MonitoringPagesFactory : KurocoAppFactory
{
    public MonitoringPagesFactory()
    {
        Settings["Monitoring:Enabled"] = "false";
        Settings["Monitoring:SampleInterval"] = "00:00:01";
        TestServices = services => services.AddSingleton<TimeProvider>(Clock);
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
}

public sealed class MonitoringPagesTests(MonitoringPagesFactory factory) : IClassFixture<MonitoringPagesFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private IMonitoringSampleStore Store => factory.Services.GetRequiredService<IMonitoringSampleStore>();

    private async Task SeedAsync()
    {
        var now = factory.Clock.GetUtcNow();
        for (var i = 12; i >= 1; i--)
        {
            var at = now.AddSeconds(-15 * i);
            await Store.AppendAsync(
            [
                new MonitoringSample(MonitoringSignals.AppUp, at, 1),
                new MonitoringSample(MonitoringSignals.DatabaseUp, at, 1),
                new MonitoringSample(MonitoringSignals.Cpu, at, 10 + i),
                new MonitoringSample(MonitoringSignals.ProcessMemory, at, 200d * 1024 * 1024),
            ], CancellationToken.None);
        }
        var rules = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAlertRuleService>().ListAsync());
        if (!rules.Any(r => r.Name == "CPU busy"))
        {
            var created = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAlertRuleService>().CreateAsync(
                new AlertRuleInput("CPU busy", MonitoringSignals.Cpu, AlertComparison.GreaterThan, 80, 5, AlertSeverity.Warning, true)));
            Assert.True(created.Succeeded, created.Message);
        }
    }

    [Fact]
    public async Task The_dashboard_charts_every_signal_with_its_threshold_and_updates_live()
    {
        await SeedAsync();
        await using var test = NewContext();
        var cut = test.Context.Render<SystemHealth>();

        cut.WaitForAssertion(() => Assert.Equal(MonitoringSignalCatalog.All.Count, cut.FindAll("[data-testid=signal-chart]").Count), Wait);
        var cpu = cut.Find("[data-testid=signal-chart][data-signal='cpu.percent']");
        Assert.True(int.Parse(cpu.GetAttribute("data-points")!, System.Globalization.CultureInfo.InvariantCulture) >= 12);
        // The chart is drawn on the server: axes with the times in the viewer's zone (Tokyo for this test user's default).
        Assert.NotEmpty(cpu.QuerySelectorAll("svg .mud-charts-xaxis text"));
        Assert.NotEmpty(cpu.QuerySelectorAll("svg .mud-charts-yaxis text"));
        // The rule's threshold is a series of its own, and named under the chart.
        Assert.Equal("Threshold: CPU busy (> 80.0 %)", cpu.QuerySelector("[data-testid=signal-threshold]")!.TextContent);
        Assert.Contains("200.0 MiB", cut.Find("[data-testid=signal-chart][data-signal='process.memory-bytes'] [data-testid=signal-latest]").TextContent);
        Assert.Equal("0", cut.Find("[data-testid=signal-chart][data-signal='http.p95-ms']").GetAttribute("data-points"));

        // A new sample appears without reloading the page: the timer in the circuit (1 s in this factory) ticks.
        await Store.AppendAsync([new MonitoringSample(MonitoringSignals.LatencyP95, factory.Clock.GetUtcNow(), 42)], CancellationToken.None);
        // Each second of the fake clock is one tick of the page's timer. A tick whose load fails (logged; seen once
        // under a loaded machine) leaves the next tick to try again, so the clock goes on ticking until the point shows.
        string? p95Points = null;
        for (var waited = TimeSpan.Zero; waited < Wait && p95Points != "1"; waited += TimeSpan.FromMilliseconds(250))
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(250);
            p95Points = cut.Find("[data-testid=signal-chart][data-signal='http.p95-ms']").GetAttribute("data-points");
        }
        Assert.Equal("1", p95Points);
        Assert.Contains("42.0 ms", cut.Find("[data-testid=signal-chart][data-signal='http.p95-ms'] [data-testid=signal-latest]").TextContent);

        // The day view groups the 15-second samples by minute.
        cut.FindAll("[data-testid=chart-range] .mud-toggle-item")[1].Click();
        cut.WaitForAssertion(() =>
        {
            var points = int.Parse(cut.Find("[data-testid=signal-chart][data-signal='cpu.percent']").GetAttribute("data-points")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(points, 3, 6);
        }, Wait);
    }

    [Fact]
    public async Task The_dashboard_and_the_rules_page_speak_Japanese()
    {
        await SeedAsync();
        await using (var test = NewContext("ja-JP"))
        {
            var cut = test.Context.Render<SystemHealth>();
            cut.WaitForAssertion(() => Assert.Equal(MonitoringSignalCatalog.All.Count, cut.FindAll("[data-testid=signal-chart]").Count), Wait);
            Assert.Equal("システムの状態", cut.Find("h1").TextContent);
            Assert.Contains("直近1時間", cut.Find("[data-testid=chart-range]").TextContent);
            Assert.Contains("データベース応答時間", cut.Find("[data-testid=signal-chart][data-signal='db.latency-ms']").TextContent);
            Assert.Contains("データなし", cut.Find("[data-testid=signal-chart][data-signal='db.latency-ms']").TextContent);
        }
        await using (var test = NewContext("ja-JP"))
        {
            var cut = test.Context.Render<AlertRulesPage>();
            cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=rule-row-name]"), r => r.TextContent == "CPU busy"), Wait);
            Assert.Equal("アラートルール", cut.Find("h1").TextContent);
            Assert.Contains("CPU > 80.0 %（5分継続）", cut.Find("[data-testid=rule-row-condition]").TextContent);

            // Bad input: a Japanese message, nothing saved.
            cut.Find("[data-testid=rule-new]").Click();
            cut.Find("[data-testid=rule-save]").Click();
            cut.WaitForAssertion(() => Assert.Contains("ルール名を入力してください。", cut.Find("[data-testid=rule-errors]").TextContent), Wait);

            cut.Find("[data-testid=rule-name]").Change("メモリ逼迫");
            cut.Find("[data-testid=rule-save]").Click();
            cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=rule-row-name]"), r => r.TextContent == "メモリ逼迫"), Wait);
            Assert.Empty(cut.FindAll("[data-testid=rule-form]"));
        }
    }

    private ComponentTestContext NewContext(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("operator-1", "operator@test.local", StaffRoles.Operator);
        return test;
    }
}
