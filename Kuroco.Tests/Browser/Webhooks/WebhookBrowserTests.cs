using Kuroco.Core.Staff;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Webhooks;

/// <summary>An Administrator creates a webhook in the browser and is shown its secret once.</summary>
public sealed class WebhookBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string AdminEmail = "wendy.webhooks@test.local";

    [Fact]
    public Task An_Administrator_creates_a_webhook_and_copies_its_secret() =>
        browser.RunAsync(nameof(An_Administrator_creates_a_webhook_and_copies_its_secret), async page =>
        {
            await browser.App.CreateStaffAsync(AdminEmail, StaffRoles.Administrator);
            // An allowlisted host needs no DNS (the test machine has none).
            await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>()
                .SaveAllowedHostsAsync([new WebhookAllowedHostEntry("receiver.test", "browser test")]));

            await BrowserFixture.SignInAsync(page, AdminEmail);

            await page.GotoAsync("/settings/webhooks");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Webhooks");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("add-webhook"), page.GetByTestId("webhook-name"), "the add-webhook dialog");
            // Nothing is refused before the person has typed (the focus moving inside the new dialog is no reason).
            await page.WaitForTimeoutAsync(500);
            await Expect(page.GetByTestId("webhook-dialog").Locator(".mud-input-error")).ToHaveCountAsync(0);
            await page.GetByTestId("webhook-name").FillAsync("Static site build");
            await page.GetByTestId("webhook-url").FillAsync("http://receiver.test/hook");
            await page.GetByTestId("webhook-content-type").FillAsync("news");
            await page.GetByTestId("webhook-save").ClickAsync();

            var secretField = page.GetByTestId("webhook-secret-dialog").GetByTestId("secret-value");
            await Expect(secretField).ToBeVisibleAsync();
            var secret = await secretField.InputValueAsync();
            Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
            await Expect(page.GetByTestId("secret-done")).ToBeDisabledAsync();
            await page.GetByTestId("secret-stored").ClickAsync();
            await page.GetByTestId("secret-done").ClickAsync();
            await Expect(page.GetByTestId("webhook-row-name")).ToHaveTextAsync("Static site build");
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

            var stored = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookSubscriptions.AsNoTracking().SingleAsync());
            Assert.Equal("http://receiver.test/hook", stored.TargetUrl);
            Assert.Equal("news", stored.ContentType);
        });
}
