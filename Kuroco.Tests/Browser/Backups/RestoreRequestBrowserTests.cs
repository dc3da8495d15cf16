using System.Globalization;
using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Members;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Backups;

/// <summary>
/// Support staff take a restore request for a member deleted since the last backup: the intake form (its errors first),
/// the quote, the approval received by phone, the extraction from the real backup engine's generation, the preview of the
/// diff, apply — and the member is back.
/// </summary>
public sealed class RestoreRequestBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string SupportEmail = "sam.restore@test.local";

    [Fact]
    public Task Support_staff_take_a_request_quote_it_record_approval_preview_the_diff_apply_and_the_member_is_back() =>
        browser.RunAsync(nameof(Support_staff_take_a_request_quote_it_record_approval_preview_the_diff_apply_and_the_member_is_back), async page =>
        {
            var m = Guid.NewGuid().ToString("N")[..8];
            var lostEmail = $"lost-{m}@example.jp";
            var member = await browser.App.AddMemberAsync("失われた 会員 " + m, email: lostEmail);
            var backup = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
            Assert.True(backup.Succeeded, backup.Message);
            await browser.App.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members.Where(x => x.Id == member.Id).ExecuteDeleteAsync());
            await browser.App.CreateStaffAsync(SupportEmail, StaffRoles.SupportStaff);
            await BrowserFixture.SignInAsync(page, SupportEmail);

            await page.GotoAsync("/restore-requests");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Restore requests");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("rr-new"), page.GetByTestId("rr-new-form"), "the intake form");

            // Nothing to restore yet: the form says so and nothing is registered.
            await page.GetByTestId("rr-customer").FillAsync("株式会社テスト " + m);
            await page.GetByTestId("rr-email").FillAsync($"it-{m}@example.jp");
            var lastGood = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow.AddMinutes(-1), StaffTimeZones.Find("Asia/Tokyo"));
            await page.GetByTestId("rr-last-good").FillAsync(lastGood.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
            await page.GetByTestId("rr-create").ClickAsync();
            await Expect(page.GetByTestId("rr-scope-error")).ToHaveTextAsync("Add between 1 and 100 things to restore.");

            // The member is gone from live data: enter the email, the extraction finds it in the backup.
            await page.GetByTestId("rr-target-key").FillAsync(lostEmail);
            await page.Keyboard.PressAsync("Escape");
            await BrowserFixture.UntilAsync(
                async () => await page.GetByTestId("rr-targets").InnerTextAsync() is { } text && text.Contains(lostEmail, StringComparison.Ordinal),
                () => page.GetByTestId("rr-target-add").ClickAsync(), "the target to be added");
            await page.GetByTestId("rr-create").ClickAsync();
            // Polls the address: a navigation wait can miss the router's in-page navigation and wait for a "load" that never comes.
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/restore-requests/RR-"), new() { Timeout = 30_000 });
            var reference = await page.GetByTestId("rr-reference").InnerTextAsync();
            Assert.Matches(@"^RR-\d{4}-\d{4}$", reference);
            await Expect(page.GetByTestId("rr-state")).ToHaveAttributeAsync("data-state", "Received");

            // Quote at the default fee; the mail goes to the contact.
            await Expect(page.GetByTestId("rr-quote-fee")).ToHaveValueAsync("88000");
            await page.GetByTestId("rr-quote-send").ClickAsync();
            await Expect(page.GetByTestId("rr-state")).ToHaveAttributeAsync("data-state", "Quoted");
            await Expect(page.GetByTestId("rr-fee")).ToHaveTextAsync("JPY 88,000");

            await page.GetByTestId("rr-phone-note").FillAsync("Approved by Ms. Tanaka on the phone.");
            await page.GetByTestId("rr-phone-approve").ClickAsync();
            await Expect(page.GetByTestId("rr-state")).ToHaveAttributeAsync("data-state", "Approved");
            await Expect(page.Locator("[data-testid=rr-event][data-event=approved-phone]")).ToContainTextAsync("Approved by Ms. Tanaka on the phone.");

            // The generation taken before "last known good" is suggested; start the extraction from it.
            await page.GetByTestId("rr-extract-start").ClickAsync();
            await Expect(page.Locator("[data-testid=rr-event][data-event=extraction-started]")).ToContainTextAsync(backup.Value!.Id);

            // The page follows the job: the preview shows the member to add (found by email in the backup).
            await Expect(page.GetByTestId("rr-preview")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Expect(page.Locator("[data-testid=rr-diff-row][data-change=Add]").First).ToContainTextAsync("失われた 会員 " + m);
            await page.GetByTestId("rr-apply").ClickAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("rr-state")).ToHaveAttributeAsync("data-state", "Notified", new() { Timeout = 60_000 });
            await Expect(page.GetByTestId("rr-summary")).ToBeVisibleAsync();

            // The member is back.
            await page.GotoAsync($"/members/{member.Id}");
            await Expect(page.GetByText("失われた 会員 " + m).First).ToBeVisibleAsync();
        });
}
