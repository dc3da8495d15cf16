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
/// A full restore as two people do it on /backups/restore: an Administrator requests it by typing the generation id, an
/// Operator (signed in after the Administrator signed out) approves it and follows its steps live to the end; the member
/// added after the backup is gone and the console is out of maintenance mode.
/// </summary>
public sealed class FullRestoreBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_administrator_requests_a_full_restore_an_operator_approves_it_and_follows_it_to_the_end() =>
        browser.RunAsync(nameof(An_administrator_requests_a_full_restore_an_operator_approves_it_and_follows_it_to_the_end), async page =>
        {
            var m = Guid.NewGuid().ToString("N")[..8];
            var adminEmail = $"ada-{m}@test.local";
            var operatorEmail = $"olga-{m}@test.local";
            await browser.App.CreateStaffAsync(adminEmail, StaffRoles.Administrator);
            await browser.App.CreateStaffAsync(operatorEmail, StaffRoles.Operator);
            var backup = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
            Assert.True(backup.Succeeded, backup.Message);
            var generationId = backup.Value!.Id;
            var later = await browser.App.AddMemberAsync("後から 追加 " + m, email: $"later-{m}@example.jp");

            // The Administrator requests the restore of the generation (offered first: the newest) by typing its id.
            await BrowserFixture.SignInToAsync(page, "/backups/restore", adminEmail);
            await Expect(page.Locator("h1")).ToHaveTextAsync("Full restore");
            await Expect(page.GetByTestId("restore-request")).ToContainTextAsync(generationId);
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.GetByTestId("typed-generation").FillAsync(generationId);
            await page.GetByTestId("request-restore").ClickAsync();
            await Expect(page.GetByTestId("restore-status")).ToContainTextAsync("waiting for confirmation");
            await Expect(page.GetByTestId("withdraw-restore")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("confirm-restore")).ToHaveCountAsync(0);

            // A second person: the Operator approves it and follows the steps.
            await page.GetByTestId("sign-out").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape("/account/login")), new() { Timeout = 30_000 });
            await BrowserFixture.SignInToAsync(page, "/backups/restore", operatorEmail);
            await Expect(page.GetByTestId("restore-status")).ToContainTextAsync("waiting for confirmation");
            await Expect(page.GetByTestId("restore-request")).ToHaveCountAsync(0);
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.GetByTestId("confirm-restore").ClickAsync();
            await Expect(page.GetByTestId("restore-progress")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("restore-status")).ToContainTextAsync("completed", new() { Timeout = 60_000 });
            var steps = page.Locator("[data-testid=restore-steps] tr");
            await Expect(steps).ToHaveCountAsync(FullRestoreSteps.All.Count);
            foreach (var step in await steps.AllAsync())
            {
                Assert.Contains(await step.GetAttributeAsync("data-status"), new[] { "Done", "Skipped" });
            }
            await Expect(page.GetByTestId("restore-problem")).ToHaveCountAsync(0);

            // The system is the backup's (the member added after it is gone) and out of maintenance mode.
            Assert.False(browser.App.Services.GetRequiredService<IMaintenanceMode>().Current.IsOn);
            Assert.False(await browser.App.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members.AnyAsync(x => x.Id == later.Id)));
        });
}
