using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Account;

/// <summary>
/// A whole passkey round trip in Chromium with its DevTools virtual authenticator (no hardware):
/// register a passkey, then sign in with it instead of the password.
/// </summary>
public sealed class PasskeyBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task A_staff_member_registers_a_passkey_and_signs_in_with_it() =>
        browser.RunAsync(nameof(A_staff_member_registers_a_passkey_and_signs_in_with_it), async page =>
        {
            var email = $"webauthn-{Guid.NewGuid():N}@test.local";
            var id = await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
            // WebAuthn refuses an IP address as the relying party: use the loopback name.
            var origin = $"http://localhost:{browser.BaseAddress.Port}";

            var cdp = await page.Context.NewCDPSessionAsync(page);
            await cdp.SendAsync("WebAuthn.enable");
            await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
            {
                ["options"] = new Dictionary<string, object>
                {
                    ["protocol"] = "ctap2",
                    ["transport"] = "internal",
                    ["hasResidentKey"] = true,
                    ["hasUserVerification"] = true,
                    ["isUserVerified"] = true,
                    ["automaticPresenceSimulation"] = true,
                },
            });

            await page.GotoAsync(origin + "/account/login");
            await BrowserFixture.SubmitSignInAsync(page, email);
            await Expect(page.GetByTestId("nav-menu")).ToBeVisibleAsync();

            await page.GotoAsync(origin + "/account/passkeys");
            await Expect(page.GetByTestId("no-passkeys")).ToBeVisibleAsync();
            await page.GetByTestId("add-passkey").ClickAsync();
            await Expect(page.GetByTestId("passkeys-status")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("passkey")).ToHaveCountAsync(1);

            await page.Context.ClearCookiesAsync();
            await page.GotoAsync(origin + "/account/login");
            // The script first asks for a passkey with conditional mediation (autofill), which the virtual
            // authenticator may answer at once; otherwise the button asks.
            try
            {
                await page.GetByTestId("passkey-sign-in").ClickAsync(new() { Timeout = 3_000 });
            }
            catch (TimeoutException)
            {
            }
            await Expect(page.GetByTestId("nav-menu")).ToBeVisibleAsync();
            Assert.EndsWith("/", page.Url);

            var entries = await browser.App.AuditEntriesAsync();
            Assert.Contains(entries, e => e.Action == AuditActions.PasskeyAdded && e.EntityId == id && e.Outcome == AuditOutcome.Success);
            Assert.Contains(entries, e => e.Action == AuditActions.SignInSucceeded && e.EntityId == id && AuditText.English(e).Contains("passkey", StringComparison.Ordinal));
        });
}
