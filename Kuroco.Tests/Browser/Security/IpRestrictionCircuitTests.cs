using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Security;

/// <summary>An open circuit is cut off when the console allowlist stops admitting its address (the browser runs on 127.0.0.1).</summary>
public sealed class IpRestrictionCircuitTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_open_page_is_reloaded_into_the_403_once_its_address_leaves_the_console_list() =>
        browser.RunAsync(nameof(An_open_page_is_reloaded_into_the_403_once_its_address_leaves_the_console_list), async page =>
        {
            var email = $"officer-{Guid.NewGuid():N}@test.local";
            await browser.App.CreateStaffAsync(email, StaffRoles.SecurityOfficer);
            await BrowserFixture.SignInToAsync(page, "/security/ip-restrictions", email);
            await Expect(page.GetByTestId("ip-current-address")).ToContainTextAsync("127.0.0.1");

            // Wait for the circuit: a click adds a row only once it is connected.
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("ip-add-Api"), page.GetByTestId("ip-row").First, "a new allowlist row");

            await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>()
                .SaveAsync(IpAllowlistKind.Console, [new IpAllowlistEntry("192.0.2.0/24", "not the browser")]));
            try
            {
                await page.GetByTestId("ip-add-Api").ClickAsync();
                await Expect(page.Locator("body")).ToContainTextAsync("is not allowed");
            }
            finally
            {
                await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>().SaveAsync(IpAllowlistKind.Console, []));
            }
        });
}
