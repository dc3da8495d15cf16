using System.Text.RegularExpressions;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Security;

/// <summary>A security officer raises the minimum length; a staff member is then held to it on the change-password page.</summary>
public sealed partial class PasswordPolicyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string OfficerEmail = "olivia.officer@test.local";
    private const string StaffEmail = "sam.writer@test.local";
    /// <summary>15 characters: allowed by the default policy (12), refused once the minimum is 16.</summary>
    private const string FifteenCharacters = "Orbit-Maple-93!";

    [Fact]
    public Task An_officer_raises_the_minimum_length_and_a_shorter_password_is_then_refused() =>
        browser.RunAsync(nameof(An_officer_raises_the_minimum_length_and_a_shorter_password_is_then_refused), async page =>
        {
            await browser.App.CreateStaffAsync(OfficerEmail, StaffRoles.SecurityOfficer);
            await browser.App.CreateStaffAsync(StaffEmail, StaffRoles.ContentEditor);
            Assert.True(Kuroco.Core.Security.PasswordRules.Check(new Kuroco.Core.Security.PasswordPolicy(), FifteenCharacters, StaffEmail, "sam.writer").IsValid);

            await BrowserFixture.SignInAsync(page, OfficerEmail);
            await page.GotoAsync("/security/password-policy");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Password policy");

            // The checker answers only once the circuit is connected: from then on the form is live.
            var sample = page.GetByTestId("policy-sample");
            await BrowserFixture.UntilAsync(() => page.GetByTestId("policy-sample-violations").IsVisibleAsync(), async () =>
            {
                await sample.FillAsync("");
                await sample.FillAsync("password");
            }, "the live checker");

            await page.GetByTestId("policy-min-length").FillAsync("16");
            await page.GetByTestId("policy-min-length").PressAsync("Tab");
            await page.GetByTestId("save-policy").ClickAsync();
            var change = page.GetByTestId("policy-change");
            await Expect(change).ToHaveCountAsync(1);
            await Expect(change).ToContainTextAsync("Minimum length");
            await Expect(change).ToContainTextAsync("16");
            await page.GetByTestId("policy-changes-confirm").ClickAsync();
            await Expect(page.GetByText("The password policy was saved.")).ToBeVisibleAsync();

            // The staff member, in a fresh session.
            await browser.Context.ClearCookiesAsync();
            await BrowserFixture.SignInAsync(page, StaffEmail);
            await page.GotoAsync("/account/change-password");
            await Expect(page.GetByTestId("password-hint")).ToContainTextAsync("16 to 128 characters");
            await page.GetByLabel("Current password", new() { Exact = true }).FillAsync(KurocoAppFactory.StaffPassword);
            await page.GetByLabel("New password", new() { Exact = true }).FillAsync(FifteenCharacters);
            // The strength meter (same-origin script under the CSP) reports the broken rule before submitting.
            var meter = page.GetByTestId("password-strength");
            await Expect(meter).ToBeVisibleAsync();
            await Expect(meter).ToContainTextAsync("at least 16 characters");
            await page.GetByLabel("Confirm new password", new() { Exact = true }).FillAsync(FifteenCharacters);
            await page.GetByRole(AriaRole.Button, new() { Name = "Change password", Exact = true }).ClickAsync();

            await Expect(page.GetByTestId("change-password-errors")).ToContainTextAsync("The password must be at least 16 characters long.");
            await Expect(page).ToHaveURLAsync(ChangePasswordUrl());
        });

    [Fact]
    public Task Typing_4_as_minimum_length_is_refused_beside_the_field_and_never_changed_to_8() =>
        browser.RunAsync(nameof(Typing_4_as_minimum_length_is_refused_beside_the_field_and_never_changed_to_8), async page =>
        {
            const string officer = "oscar.officer@test.local";
            await browser.App.CreateStaffAsync(officer, StaffRoles.SecurityOfficer);
            await BrowserFixture.SignInAsync(page, officer);
            await page.GotoAsync("/security/password-policy");
            var sample = page.GetByTestId("policy-sample");
            await BrowserFixture.UntilAsync(() => page.GetByTestId("policy-sample-violations").IsVisibleAsync(), async () =>
            {
                await sample.FillAsync("");
                await sample.FillAsync("password");
            }, "the live checker");
            var before = (await StoredPolicyAsync()).MinLength;

            var field = page.GetByTestId("policy-min-length");
            await field.FillAsync("4");
            await field.PressAsync("Tab");

            var error = page.Locator(".mud-input-control", new() { Has = field }).Locator(".mud-input-helper-text.mud-input-error");
            await Expect(error).ToHaveTextAsync("Enter a value from 8 to 64.");
            await Expect(field).ToHaveValueAsync("4");

            await page.GetByTestId("save-policy").ClickAsync();
            await Expect(page.GetByTestId("policy-errors")).ToContainTextAsync("Enter a value from 8 to 64.");
            await Expect(page.GetByTestId("policy-changes-dialog")).ToHaveCountAsync(0);
            await Expect(field).ToHaveValueAsync("4");
            Assert.Equal(before, (await StoredPolicyAsync()).MinLength);
        });

    private Task<Kuroco.Core.Security.PasswordPolicy> StoredPolicyAsync() => browser.App.WithScopeAsync(sp =>
    {
        sp.GetRequiredService<Kuroco.Infrastructure.Security.PasswordPolicyCache>().Clear();
        return sp.GetRequiredService<Kuroco.Core.Security.IPasswordPolicyStore>().GetAsync();
    });

    [GeneratedRegex("/account/change-password")]
    private static partial Regex ChangePasswordUrl();
}
