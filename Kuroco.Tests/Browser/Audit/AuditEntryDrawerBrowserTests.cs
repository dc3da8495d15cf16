using System.Globalization;
using System.Text.RegularExpressions;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Audit;

/// <summary>
/// The detail drawer in a real browser: it opens from the right over the list, its entry goes into the address beside
/// the filters, a reload reopens it, Escape closes it, and on a phone it takes the whole width.
/// </summary>
public sealed class AuditEntryDrawerBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_officer_opens_an_entry_shares_its_address_reloads_and_closes_it_with_Escape() =>
        browser.RunAsync(nameof(An_officer_opens_an_entry_shares_its_address_reloads_and_closes_it_with_Escape), async page =>
        {
            const string officer = "officer-drawer@test.local";
            await browser.App.CreateStaffAsync(officer, StaffRoles.SecurityOfficer);
            var marker = "m" + Guid.NewGuid().ToString("N")[..10];
            var written = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditRecord(AuditActions.StaffUpdated, "Staff", "staff-drawer", $"{marker} updated",
                    Changes: [new FieldChange("DisplayName", "Before name", "After name")])));
            var sequence = written.Sequence.ToString(CultureInfo.InvariantCulture);

            await BrowserFixture.SignInAsync(page, officer);
            await page.GotoAsync($"/audit?q={marker}");
            await Expect(page.GetByTestId("audit-summary")).ToHaveCountAsync(1);

            var details = page.GetByTestId("audit-entry-details");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("audit-details-" + sequence), details, "the detail drawer");
            await Expect(page).ToHaveURLAsync(new Regex($"q={marker}.*entry={sequence}|entry={sequence}.*q={marker}"));
            await Expect(details).ToHaveAttributeAsync("data-sequence", sequence);
            await Expect(details.GetByTestId("audit-change-after")).ToHaveTextAsync("After name");
            // From the right, over the list (which stays behind it).
            // (Once it has slid in.)
            var box = await Eventually.GetAsync(() => page.GetByTestId("audit-entry-dialog").BoundingBoxAsync(),
                b => b is not null && b.X + b.Width is > 1270 and < 1290, "the drawer at the right edge");
            Assert.True(box!.X > 400, $"The drawer starts at {box.X}px: it should leave the list visible on a wide screen.");

            // The address is the link to share: a reload opens the same entry.
            await page.ReloadAsync();
            await Expect(details).ToHaveAttributeAsync("data-sequence", sequence);
            await Expect(page.GetByTestId("audit-entry-hash")).ToHaveTextAsync(written.Hash);

            // Escape closes it (once the circuit is connected), the filters stay.
            await BrowserFixture.UntilAsync(async () => await details.CountAsync() == 0, async () =>
            {
                await page.GetByTestId("audit-entry-dialog").FocusAsync();
                await page.Keyboard.PressAsync("Escape");
            }, "Escape to close the drawer");
            await Expect(page).ToHaveURLAsync(new Regex($"q={marker}"));
            Assert.DoesNotContain("entry=", page.Url, StringComparison.Ordinal);

            // On a phone the drawer takes the whole width.
            await page.SetViewportSizeAsync(390, 844);
            try
            {
                await page.GotoAsync($"/audit?q={marker}&entry={sequence}");
                await Expect(details).ToHaveAttributeAsync("data-sequence", sequence);
                var phoneBox = await Eventually.GetAsync(() => page.GetByTestId("audit-entry-dialog").BoundingBoxAsync(),
                    b => b is not null && Math.Abs(b.X) < 1, "the drawer across the phone");
                Assert.InRange(phoneBox!.Width, 385, 391);
                await BrowserFixture.UntilAsync(async () => await details.CountAsync() == 0,
                    () => page.GetByTestId("audit-entry-close").ClickAsync(), "the close button");
                Assert.DoesNotContain("entry=", page.Url, StringComparison.Ordinal);
            }
            finally
            {
                await page.SetViewportSizeAsync(1280, 800);
            }
        });
}
