using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Staff;

/// <summary>The "Add staff member" dialog refuses nothing before it is used, and the one-time password cannot be lost by a stray click.</summary>
public sealed class CreateStaffBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string AdminEmail = "sam.admin@test.local";

    [Fact]
    public Task The_dialog_opens_without_errors_and_the_one_time_password_stays_until_stored() =>
        browser.RunAsync(nameof(The_dialog_opens_without_errors_and_the_one_time_password_stays_until_stored), async page =>
        {
            await browser.App.CreateStaffAsync(AdminEmail, StaffRoles.Administrator);
            await BrowserFixture.SignInAsync(page, AdminEmail);

            await page.GotoAsync("/settings/staff");
            var dialog = page.GetByTestId("create-staff-dialog");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("add-staff"), dialog, "the create dialog");
            // The e-mail field takes the focus and loses it as the dialog settles: that is not the person's doing.
            await page.WaitForTimeoutAsync(500);
            await Expect(dialog.Locator(".mud-input-error")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("create-errors")).ToHaveCountAsync(0);

            // Pressing Create with nothing filled in does show why.
            await page.GetByTestId("create").ClickAsync();
            await Expect(dialog.Locator(".mud-input-error").First).ToBeVisibleAsync();

            await dialog.GetByLabel("Email").FillAsync("new.editor@test.local");
            await dialog.GetByLabel("Name").FillAsync("New Editor");
            await page.GetByTestId($"role-{StaffRoles.ContentEditor}").ClickAsync();
            await page.GetByTestId("create").ClickAsync();

            var secret = page.GetByTestId("secret-value");
            await Expect(secret).ToBeVisibleAsync();
            Assert.False(string.IsNullOrWhiteSpace(await secret.InputValueAsync()));
            // Neither Escape nor a click beside the dialog closes it, and Close waits for "I have stored it".
            await page.Keyboard.PressAsync("Escape");
            await page.Mouse.ClickAsync(5, 5);
            await Expect(secret).ToBeVisibleAsync();
            await Expect(page.GetByTestId("secret-done")).ToBeDisabledAsync();
            await page.GetByTestId("secret-stored").ClickAsync();
            await page.GetByTestId("secret-done").ClickAsync();
            await Expect(secret).ToHaveCountAsync(0);
            await Expect(page.Locator("body")).ToContainTextAsync("new.editor@test.local");
        });
}
