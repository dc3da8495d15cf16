using Bunit;
using Kuroco.Admin.Components.Pages.Logs;
using Kuroco.Core.Logs;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Logs;

public sealed class ServerLogsPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private ILogStore Store => factory.Services.GetRequiredService<ILogStore>();

    [Fact]
    public async Task Shows_entries_in_the_viewers_zone_and_one_tab_per_kind()
    {
        var marker = NewMarker();
        var at = new DateTimeOffset(DateTime.UtcNow.AddMinutes(-10).Ticks - DateTime.UtcNow.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        await Store.AppendAsync(
        [
            new ApplicationLogEntry(at, "Error", "Kuroco.Test", $"{marker} <b>failed</b>", null, "cid-1", "admin@test.local"),
            new JobLogEntry(at, "7", $"{marker}.Run", "Failed", 12, "boom"),
        ]);

        await using var test = NewContext(StaffRoles.Operator);
        var cut = RenderAt(test, $"/logs?q={marker}");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=logs-row]")), Wait);
        var row = cut.Find("[data-testid=logs-row]");
        var tokyo = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Equal(tokyo.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture), row.QuerySelector("time")!.TextContent);
        Assert.Equal($"{marker} <b>failed</b>", row.QuerySelector("[data-field=message]")!.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=logs-table] b"));
        Assert.Equal("Application", cut.Find("[data-testid=logs-table]").GetAttribute("data-kind"));

        test.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/logs?kind=Job&q={marker}");
        cut.WaitForAssertion(() => Assert.Equal("Job", cut.Find("[data-testid=logs-table]").GetAttribute("data-kind")), Wait);
        Assert.Equal($"{marker}.Run", cut.Find("[data-testid=logs-row] [data-field=job]").TextContent);
        Assert.Equal("boom", cut.Find("[data-testid=logs-row] [data-field=error]").TextContent);
        Assert.Contains("kind=Job", cut.Find("[data-testid=logs-export-csv]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Older_and_newer_walk_every_row_once_across_equal_timestamps()
    {
        var marker = NewMarker();
        var at = DateTimeOffset.UtcNow.AddMinutes(-3);
        await Store.AppendAsync([.. Enumerable.Range(0, 120).Select(i => (LogEntry)new JobLogEntry(at, i.ToString(System.Globalization.CultureInfo.InvariantCulture), marker, "Succeeded", 1, null))]);

        await using var test = NewContext(StaffRoles.Administrator);
        var cut = RenderAt(test, $"/logs?kind=Job&q={marker}");
        cut.WaitForAssertion(() => Assert.Equal(50, Ids(cut).Count), Wait);
        var first = Ids(cut);
        Assert.True(cut.Find("[data-testid=logs-newer]").HasAttribute("disabled"));

        cut.Find("[data-testid=logs-older]").Click();
        cut.WaitForAssertion(() => Assert.NotEqual(first, Ids(cut)), Wait);
        var second = Ids(cut);
        cut.Find("[data-testid=logs-older]").Click();
        cut.WaitForAssertion(() => Assert.Equal(20, Ids(cut).Count), Wait);
        var third = Ids(cut);
        Assert.True(cut.Find("[data-testid=logs-older]").HasAttribute("disabled"));

        var all = first.Concat(second).Concat(third).ToList();
        Assert.Equal(120, all.Distinct().Count());
        Assert.Equal(all.OrderByDescending(id => id).ToList(), all);

        cut.Find("[data-testid=logs-newer]").Click();
        cut.WaitForAssertion(() => Assert.Equal(second, Ids(cut)), Wait);
        cut.Find("[data-testid=logs-newest]").Click();
        cut.WaitForAssertion(() => Assert.Equal(first, Ids(cut)), Wait);
    }

    [Fact]
    public async Task Filters_by_status_class_text_and_correlation_id()
    {
        var marker = NewMarker();
        var at = DateTimeOffset.UtcNow.AddMinutes(-2);
        await Store.AppendAsync(
        [
            new ApiRequestLogEntry(at, "GET", $"/api/v1/{marker}/ok", 200, 3, "kk_aaaaaaaa", null, "203.0.113.1", "c-ok"),
            new ApiRequestLogEntry(at, "GET", $"/api/v1/{marker}/missing", 404, 3, "kk_aaaaaaaa", null, "203.0.113.1", "c-missing"),
            new ApiRequestLogEntry(at, "POST", $"/api/v1/{marker}/broken", 503, 3, null, "m-1", "203.0.113.2", "c-broken"),
        ]);

        await using var test = NewContext(StaffRoles.Operator);
        var navigation = test.Context.Services.GetRequiredService<NavigationManager>();
        var cut = RenderAt(test, $"/logs?kind=ApiRequest&q={marker}");
        cut.WaitForAssertion(() => Assert.Equal(3, Paths(cut).Count), Wait);

        navigation.NavigateTo($"/logs?kind=ApiRequest&q={marker}&severity=4xx");
        cut.WaitForAssertion(() => Assert.Equal([$"/api/v1/{marker}/missing"], Paths(cut)), Wait);

        navigation.NavigateTo($"/logs?kind=ApiRequest&cid=c-broken");
        cut.WaitForAssertion(() => Assert.Equal([$"/api/v1/{marker}/broken"], Paths(cut)), Wait);

        // Text typed into the search box and submitted with the form goes into the address.
        navigation.NavigateTo("/logs?kind=ApiRequest");
        var box = cut.Find("[data-testid=logs-text]");
        (box.TagName == "INPUT" ? box : box.QuerySelector("input")!).Input($"{marker}/OK");
        cut.Find("form[data-testid=logs-filters]").Submit();
        cut.WaitForAssertion(() => Assert.Equal([$"/api/v1/{marker}/ok"], Paths(cut)), Wait);
        Assert.Contains($"q={marker}/OK", Uri.UnescapeDataString(navigation.Uri), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_below_the_floor_is_refused_an_operator_only_reads_the_retention()
    {
        await using (var admin = NewContext(StaffRoles.Administrator))
        {
            var cut = RenderAt(admin, "/logs");
            cut.WaitForAssertion(() => cut.Find("[data-testid=logs-retention-save]"), Wait);
            var field = cut.Find("[data-testid=logs-retention-months]");
            (field.TagName == "INPUT" ? field : field.QuerySelector("input")!).Change("11");
            cut.Find("[data-testid=logs-retention-save]").Click();
            cut.WaitForAssertion(() => Assert.Contains("at least 12 months", cut.Find("[data-testid=logs-retention-error]").TextContent, StringComparison.Ordinal), Wait);
            // Nothing was saved: the page still says what is kept.
            Assert.Empty(cut.FindAll("[data-testid=logs-retention-saved]"));
        }

        await using var operatorContext = NewContext(StaffRoles.Operator);
        var view = RenderAt(operatorContext, "/logs");
        view.WaitForAssertion(() => view.Find("[data-testid=logs-retention-readonly]"), Wait);
        Assert.Empty(view.FindAll("[data-testid=logs-retention-save]"));
    }

    [Fact]
    public async Task Reads_in_japanese()
    {
        var marker = NewMarker();
        await Store.AppendAsync([new MailLogEntry(DateTimeOffset.UtcNow.AddMinutes(-1), "user@example.com", "sendgrid", $"{marker} 件名", "Failed", null, "refused")]);

        await using var test = NewContext(StaffRoles.Operator, "ja-JP");
        var cut = RenderAt(test, $"/logs?kind=Mail&q={marker}");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=logs-row]")), Wait);

        Assert.Contains("サーバーログ", cut.Find("h1").TextContent, StringComparison.Ordinal);
        Assert.Contains("宛先", cut.Find("[data-testid=logs-table] thead").TextContent, StringComparison.Ordinal);
        Assert.Contains("保存期間", cut.Find("[data-testid=logs-retention]").TextContent, StringComparison.Ordinal);
    }

    private ComponentTestContext NewContext(string role, string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("staff-" + role, role.ToLowerInvariant() + "@test.local", role);
        return test;
    }

    private static IRenderedComponent<ServerLogs> RenderAt(ComponentTestContext test, string uri)
    {
        test.Context.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return test.Context.Render<ServerLogs>();
    }

    private static List<long> Ids(IRenderedComponent<ServerLogs> cut) =>
        [.. cut.FindAll("[data-testid=logs-row]").Select(r => long.Parse(r.GetAttribute("data-id")!, System.Globalization.CultureInfo.InvariantCulture))];

    private static List<string> Paths(IRenderedComponent<ServerLogs> cut) =>
        [.. cut.FindAll("[data-testid=logs-row] [data-field=path]").Select(e => e.TextContent)];

    private static string NewMarker() => "m" + Guid.NewGuid().ToString("N")[..12];
}
