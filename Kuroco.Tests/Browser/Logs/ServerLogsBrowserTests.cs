using System.Text.RegularExpressions;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Logs;

/// <summary>
/// An Administrator, in Japanese, opens the server logs, goes through the tabs (application, API requests, jobs, mail),
/// filters the API requests by status and finds the 404 of a request just made through the app, then exports the view.
/// </summary>
public sealed partial class ServerLogsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_administrator_switches_tabs_filters_api_requests_by_status_and_exports_in_japanese() =>
        browser.RunAsync(nameof(An_administrator_switches_tabs_filters_api_requests_by_status_and_exports_in_japanese), async page =>
        {
            const string admin = "logs-admin@test.local";
            await browser.App.CreateStaffAsync(admin, StaffRoles.Administrator);
            var marker = "no-such-" + Guid.NewGuid().ToString("N")[..10];
            var missingPath = "/api/" + marker;

            await BrowserFixture.SignInAsync(page, admin);
            // A request through the app that ends in 404; the request log records it.
            var response = await page.APIRequest.GetAsync(missingPath);
            Assert.Equal(404, response.Status);

            await page.GotoAsync("/culture/set?culture=ja-JP&returnUrl=" + Uri.EscapeDataString("/logs"));
            await Expect(page.Locator("h1")).ToHaveTextAsync("サーバーログ");
            var table = page.GetByTestId("logs-table");
            await Expect(table).ToHaveAttributeAsync("data-kind", "Application");

            // One tab per kind; a click only works once the circuit is connected, so it is repeated until the view switches.
            await SwitchToAsync(page, "ジョブ", "Job");
            await SwitchToAsync(page, "メール", "Mail");
            await Expect(table.Locator("thead")).ToContainTextAsync("宛先");
            await SwitchToAsync(page, "アプリケーション", "Application");
            await SwitchToAsync(page, "API リクエスト", "ApiRequest");
            await Expect(table.Locator("thead")).ToContainTextAsync("ステータス");

            // Status 4xx: the 404 is listed, and only client errors are.
            var statusSelect = page.Locator("div.mud-select").Filter(new() { Has = page.GetByTestId("logs-severity") }).First;
            var option = page.GetByRole(AriaRole.Option, new() { Name = "4xx", Exact = true });
            await BrowserFixture.ClickUntilVisibleAsync(statusSelect, option, "the status list");
            await option.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"[?&]severity=4xx(&|$)"));
            var row = page.GetByTestId("logs-row").Filter(new() { Has = page.Locator("[data-field=path]", new() { HasTextString = missingPath }) });
            // The log is written in the background: search again until the entry has reached the file.
            await BrowserFixture.UntilAsync(async () => await row.CountAsync() > 0, () => page.GetByTestId("logs-search").ClickAsync(), "the 404 in the request log");
            await Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("404");
            await Expect(row.Locator("[data-field=method]")).ToHaveTextAsync("GET");
            foreach (var status in await page.Locator("[data-testid=logs-row] [data-field=status]").AllTextContentsAsync())
            {
                Assert.StartsWith("4", status, StringComparison.Ordinal);
            }

            // The export takes the same filter: a CSV of the 4xx API requests that holds the 404.
            var export = page.GetByTestId("logs-export-csv");
            await Expect(export).ToContainTextAsync("CSV エクスポート");
            Assert.Matches(new Regex(@"kind=ApiRequest.*severity=4xx|severity=4xx.*kind=ApiRequest"), await export.GetAttributeAsync("href") ?? "");
            var download = await page.RunAndWaitForDownloadAsync(() => export.ClickAsync());
            var path = await download.PathAsync();
            var csv = await File.ReadAllTextAsync(path);
            Assert.Contains(missingPath, csv, StringComparison.Ordinal);
            Assert.Contains("404", csv, StringComparison.Ordinal);
        });

    private static async Task SwitchToAsync(IPage page, string tab, string kind)
    {
        var table = page.GetByTestId("logs-table");
        await BrowserFixture.UntilAsync(
            async () => await table.GetAttributeAsync("data-kind") == kind,
            () => page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }).ClickAsync(),
            "the " + kind + " tab");
        // The first tab is the default: its address carries no kind.
        await Expect(page).ToHaveURLAsync(kind == "Application"
            ? new Regex("/logs(\\?(?!.*kind=).*)?$")
            : new Regex("[?&]kind=" + kind + "(&|$)", RegexOptions.IgnoreCase));
    }
}
