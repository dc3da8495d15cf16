using System.Text.RegularExpressions;
using Kuroco.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Account;

/// <summary>The first morning of a new console: the bootstrap Administrator signs in, changes the password and switches to Japanese.</summary>
public sealed partial class FirstSignInTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string NewPassword = "Browser-Passw0rd!new";

    [Fact]
    public Task Bootstrap_admin_signs_in_changes_the_password_and_switches_to_japanese() =>
        browser.RunAsync(nameof(Bootstrap_admin_signs_in_changes_the_password_and_switches_to_japanese), async page =>
        {
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(LoginUrl());

            await BrowserFixture.SubmitSignInAsync(page, KurocoAppFactory.AdminEmail, KurocoAppFactory.AdminPassword);

            await Expect(page).ToHaveURLAsync(ChangePasswordUrl());
            await Expect(page.GetByTestId("must-change")).ToBeVisibleAsync();
            await page.GetByLabel("Current password", new() { Exact = true }).FillAsync(KurocoAppFactory.AdminPassword);
            await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
            await page.GetByLabel("Confirm new password", new() { Exact = true }).FillAsync(NewPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Change password", Exact = true }).ClickAsync();

            await Expect(page.GetByTestId("welcome")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("welcome")).ToContainTextAsync(KurocoAppFactory.AdminEmail);
            await Expect(page.GetByTestId("nav-menu")).ToContainTextAsync("Dashboard");

            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("culture-switcher"), page.GetByTestId("culture-ja"), "the language menu");
            await page.GetByTestId("culture-ja").ClickAsync();

            var nav = page.GetByTestId("nav-menu");
            await Expect(nav).ToContainTextAsync("ダッシュボード");
            await Expect(nav).ToContainTextAsync("監査");
            await Expect(nav).ToContainTextAsync("設定");
            await Expect(nav).ToContainTextAsync("セキュリティ");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
            await Expect(page).ToHaveURLAsync(new Uri(browser.BaseAddress, "/").ToString());
        });

    [GeneratedRegex("/account/login")]
    private static partial Regex LoginUrl();

    [GeneratedRegex("/account/change-password")]
    private static partial Regex ChangePasswordUrl();
}
