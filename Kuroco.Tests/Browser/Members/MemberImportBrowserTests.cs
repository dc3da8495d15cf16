using System.Text;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Members;

/// <summary>
/// Support staff import a CSV with one bad row, see it refused in the dry run, fix the file, upload it again, apply it,
/// then find the imported member in the list and suspend them.
/// </summary>
public sealed class MemberImportBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string SupportEmail = "sam.import@test.local";

    private static FilePayload Csv(string name, string text) => new()
    {
        Name = name,
        MimeType = "text/csv",
        Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
    };

    /// <summary>An import's own page, where an upload leads.</summary>
    private static readonly System.Text.RegularExpressions.Regex ImportPage = new("/members/import/[0-9a-f-]{36}$");

    /// <summary>
    /// Uploads a file on /members/import, whose circuit is connected (a file chosen before that is lost), and waits for the
    /// import's page. The check whether the upload started reads the page once and never waits: the upload navigates away,
    /// so a locator wait for the (then removed) input would hang until its timeout.
    /// </summary>
    private static async Task UploadAsync(IPage page, FilePayload file)
    {
        var input = page.GetByTestId("import-upload-input");
        await BrowserFixture.UntilAsync(
            () => page.EvaluateAsync<bool>(
                "() => location.pathname.startsWith('/members/import/') || !!document.querySelector('[data-testid=import-upload-input]:disabled')"),
            () => input.SetInputFilesAsync(file), "the upload to start");
        // Polls the address rather than waiting for a navigation event: the router's in-page navigation can finish between
        // the check above and a navigation wait, which then waits for a "load" that never comes (seen once under load).
        await Expect(page).ToHaveURLAsync(ImportPage, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("import-file-name")).ToHaveTextAsync(file.Name);
    }

    private static async Task DryRunAsync(IPage page)
    {
        await Expect(page.GetByTestId("import-preview")).ToBeVisibleAsync();
        await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("import-dry-run-start"), page.GetByTestId("import-dry-run"), "the dry-run report");
    }

    [Fact]
    public Task Support_staff_import_a_csv_fix_its_bad_row_apply_it_then_find_and_suspend_the_member() =>
        browser.RunAsync(nameof(Support_staff_import_a_csv_fix_its_bad_row_apply_it_then_find_and_suspend_the_member), async page =>
        {
            var m = Guid.NewGuid().ToString("N")[..8];
            await browser.App.CreateStaffAsync(SupportEmail, StaffRoles.SupportStaff);
            await BrowserFixture.SignInAsync(page, SupportEmail);

            await page.GotoAsync("/members/import");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Import members");
            await BrowserFixture.WaitForCircuitAsync(page);
            await UploadAsync(page, Csv("members.csv",
                $"メールアドレス,氏名,フリガナ\r\nkenji-{m}@example.jp,森 健司 {m},モリ ケンジ\r\nnot-an-email-{m},大野 優子 {m},オオノ ユウコ\r\n"));

            await DryRunAsync(page);
            await Expect(page.GetByTestId("import-count-create")).ToHaveTextAsync("To create: 1");
            await Expect(page.GetByTestId("import-count-refused")).ToHaveTextAsync("Refused: 1");
            var refusedRow = page.GetByTestId("import-report-row");
            await Expect(refusedRow).ToHaveCountAsync(1);
            await Expect(refusedRow).ToContainTextAsync($"not-an-email-{m}");
            await Expect(refusedRow).ToContainTextAsync("3");

            // Fix the row and upload the corrected file.
            // The link is handled by the (connected) router: the same circuit shows the upload again.
            await page.GetByTestId("import-new").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape("/members/import") + "$"), new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("import-upload-input")).ToBeEnabledAsync();
            await UploadAsync(page, Csv("members-fixed.csv",
                $"メールアドレス,氏名,フリガナ\r\nkenji-{m}@example.jp,森 健司 {m},モリ ケンジ\r\nyuko-{m}@example.jp,大野 優子 {m},オオノ ユウコ\r\n"));
            await DryRunAsync(page);
            await Expect(page.GetByTestId("import-count-create")).ToHaveTextAsync("To create: 2");
            await Expect(page.GetByTestId("import-count-refused")).ToHaveTextAsync("Refused: 0");

            var confirm = page.GetByTestId("confirm-dialog");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("import-apply"), confirm, "the apply confirmation");
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("import-completed")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Expect(page.GetByTestId("import-count-create")).ToHaveTextAsync("Created: 2");
            var yuko = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking()
                .SingleAsync(x => x.NormalizedEmail == $"yuko-{m}@example.jp"));
            Assert.Equal($"大野 優子 {m}", yuko.DisplayName);

            // Find the imported member in the list and suspend them.
            await page.GotoAsync("/members");
            var search = page.GetByTestId("members-search");
            var link = page.GetByTestId($"member-link-{yuko.Id}");
            await BrowserFixture.UntilAsync(() => link.IsVisibleAsync(),
                () => search.FillAsync($"おおの {m}"), "the search result");
            await link.ClickAsync();
            await Expect(page.GetByTestId("member-title")).ToHaveTextAsync($"大野 優子 {m}");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("action-suspend"), confirm, "the suspend confirmation");
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("member-status")).ToHaveTextAsync("Suspended");
            Assert.Equal(MemberStatus.Suspended, await browser.App.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members
                .Where(x => x.Id == yuko.Id).Select(x => x.Status).SingleAsync()));
        });
}
