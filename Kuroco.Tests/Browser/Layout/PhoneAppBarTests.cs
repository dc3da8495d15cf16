using System.Text.RegularExpressions;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Layout;

/// <summary>On a phone (390 × 844) the app bar fits in either language: sign-out is fully on screen and works.</summary>
public sealed partial class PhoneAppBarTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const int Width = 390;
    private const int Height = 844;

    [Theory]
    [InlineData("ja-JP", "ログイン", "プロフィール")]
    [InlineData("en", "Sign in", "Profile")]
    public Task On_a_phone_the_sign_out_button_is_inside_the_viewport_and_signs_out(string culture, string signInHeading, string profile) =>
        browser.RunAsync($"{nameof(On_a_phone_the_sign_out_button_is_inside_the_viewport_and_signs_out)}-{culture}", async page =>
        {
            var email = $"phone-{culture.ToLowerInvariant()}@test.local";
            // The longest display name the app bar may have to show.
            await browser.App.CreateStaffAsync(email, StaffRoles.Administrator);
            await page.SetViewportSizeAsync(Width, Height);
            try
            {
                await BrowserFixture.SignInAsync(page, email);
                // Then the console in the language under test (the switcher's cookie, the page reloaded).
                await page.GotoAsync($"/culture/set?culture={Uri.EscapeDataString(culture)}&returnUrl=%2F");
                await Expect(page.GetByTestId("welcome")).ToBeVisibleAsync();

                // The account menu opens from its icon (this also waits for the circuit: the layout is then final).
                await Expect(page.GetByTestId("product-name")).ToBeHiddenAsync();
                await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("user-menu-icon"), page.GetByText(profile, new() { Exact = true }), "the account menu");
                await page.Mouse.ClickAsync(Width / 2, Height - 100); // beside the menu: it closes
                await Expect(page.GetByText(profile, new() { Exact = true })).ToBeHiddenAsync();

                var signOut = page.GetByTestId("sign-out");
                await Expect(signOut).ToBeInViewportAsync(new() { Ratio = 1 });
                var box = await signOut.BoundingBoxAsync();
                Assert.NotNull(box);
                Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= Width && box.Y + box.Height <= Height,
                    $"Sign-out at x={box.X}, width={box.Width} (viewport {Width}) in {culture}.");
                // Nothing in the app bar spills past the right edge either.
                var overflow = await page.EvaluateAsync<bool>("() => { const bar = document.querySelector('.mud-appbar .mud-toolbar'); return bar.scrollWidth > bar.clientWidth + 1; }");
                Assert.False(overflow, $"The app bar's content is wider than the screen in {culture}.");
                // The element at the button's centre is the button (not covered), and clicking it signs out.
                var hit = await page.EvaluateAsync<bool>(
                    "p => { const el = document.elementFromPoint(p.x, p.y); return !!el && !!el.closest('[data-testid=sign-out]'); }",
                    new { x = (double)(box.X + box.Width / 2), y = (double)(box.Y + box.Height / 2) });
                Assert.True(hit, $"Something covers the sign-out button in {culture}.");
                await signOut.ClickAsync();
                await Expect(page).ToHaveURLAsync(LoginUrl());
                await Expect(page.Locator("h1")).ToContainTextAsync(signInHeading);
            }
            finally
            {
                await page.SetViewportSizeAsync(1280, 800);
                await page.GotoAsync("/culture/set?culture=en&returnUrl=%2Faccount%2Flogin");
            }
        });

    [Fact]
    public Task On_a_desktop_the_product_name_shows_and_the_account_menu_opens_from_the_name() =>
        browser.RunAsync(nameof(On_a_desktop_the_product_name_shows_and_the_account_menu_opens_from_the_name), async page =>
        {
            const string email = "desk.top@test.local";
            await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
            await page.GotoAsync("/culture/set?culture=en&returnUrl=%2Faccount%2Flogin");
            await BrowserFixture.SubmitSignInAsync(page, email);
            await Expect(page.GetByTestId("welcome")).ToBeVisibleAsync();

            await Expect(page.GetByTestId("product-name")).ToHaveTextAsync("Kuroco Admin");
            await Expect(page.GetByTestId("user-menu-icon")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("user-menu-button")).ToContainTextAsync("desk.top");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("user-menu-button"), page.GetByText("Change password", new() { Exact = true }), "the account menu");
            await page.GetByText("Profile", new() { Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(ProfileUrl());
            await page.GetByTestId("sign-out").ClickAsync();
            await Expect(page).ToHaveURLAsync(LoginUrl());
        });

    [GeneratedRegex("/account/profile")]
    private static partial Regex ProfileUrl();

    [GeneratedRegex("/account/login")]
    private static partial Regex LoginUrl();
}
