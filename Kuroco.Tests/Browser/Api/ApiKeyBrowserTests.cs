using System.Net;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Api;

/// <summary>An Administrator creates an API key, sees it once, and a website's request with it succeeds; the API reference renders under the CSP.</summary>
public sealed class ApiKeyBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string AdminEmail = "ada.admin@test.local";

    [Fact]
    public Task An_administrator_creates_a_key_sees_it_once_and_the_api_accepts_it() =>
        browser.RunAsync(nameof(An_administrator_creates_a_key_sees_it_once_and_the_api_accepts_it), async page =>
        {
            await browser.App.CreateStaffAsync(AdminEmail, StaffRoles.Administrator);
            await BrowserFixture.SignInAsync(page, AdminEmail);

            await page.GotoAsync("/settings/api-keys");
            await Expect(page.Locator("h1")).ToHaveTextAsync("API keys");
            var dialog = page.GetByTestId("create-api-key-dialog");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("create-api-key"), dialog, "the create dialog");
            // Nothing is refused before the person has done anything.
            await page.WaitForTimeoutAsync(500);
            await Expect(dialog.Locator(".mud-input-error")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("create-api-key-errors")).ToHaveCountAsync(0);
            // No scope is chosen for them: creating without one is refused.
            await Expect(page.GetByTestId("api-key-scope-all")).Not.ToBeCheckedAsync();
            await Expect(page.GetByTestId("api-key-scope-some")).Not.ToBeCheckedAsync();
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Corporate website");
            await page.GetByTestId("create").ClickAsync();
            await Expect(page.GetByTestId("api-key-scope-error")).ToHaveTextAsync("Choose which content types the key may use: all of them, or only some.");
            Assert.DoesNotContain(await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IApiKeyService>().ListAsync()), k => k.Name == "Corporate website");
            await page.GetByTestId("api-key-scope-all").ClickAsync();
            await Expect(page.GetByTestId("api-key-scope-all")).ToBeCheckedAsync();
            await Expect(page.GetByTestId("api-key-scope-error")).ToHaveCountAsync(0);
            await page.GetByTestId("create").ClickAsync();

            // The whole dialog (its test id marks the content part; title and actions sit beside it).
            var secretDialog = page.Locator(".mud-dialog", new() { Has = page.GetByTestId("api-key-secret-dialog") });
            var secretField = secretDialog.GetByTestId("secret-value");
            await Expect(secretField).ToBeVisibleAsync();
            var secret = await secretField.InputValueAsync();
            Assert.Matches("^kk_[A-Za-z0-9_-]{43}$", secret);
            await Expect(secretDialog.GetByTestId("secret-warning")).ToContainTextAsync("shown only once");

            // It cannot be lost by accident: no close button, Escape and a click beside it do nothing, Close waits for the tick.
            await Expect(secretDialog.Locator(".mud-dialog-title button")).ToHaveCountAsync(0);
            await Expect(secretDialog.GetByTestId("secret-done")).ToBeDisabledAsync();
            await page.Keyboard.PressAsync("Escape");
            await page.Mouse.ClickAsync(5, 5);
            await page.WaitForTimeoutAsync(500);
            await Expect(secretDialog).ToBeVisibleAsync();

            // Copy puts it on the clipboard and says so.
            await browser.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
            await secretDialog.GetByTestId("secret-copy").ClickAsync();
            await Expect(secretDialog.GetByTestId("secret-copied")).ToHaveTextAsync("Copied to the clipboard.");
            await Expect(secretDialog.GetByTestId("secret-copy")).ToHaveTextAsync("Copied");
            Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

            await secretDialog.GetByTestId("secret-stored").ClickAsync();
            await secretDialog.GetByTestId("secret-done").ClickAsync();
            await Expect(secretDialog).ToHaveCountAsync(0);

            // Listed by its prefix only; the secret is nowhere on the page any more.
            await Expect(page.GetByTestId($"api-key-name-{secret[..11]}")).ToHaveTextAsync("Corporate website");
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

            // A website calls the API with it.
            using var http = new HttpClient { BaseAddress = browser.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
            request.Headers.Add("X-API-Key", secret);
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Corporate website", json.GetProperty("name").GetString());
            Assert.Equal("read", json.GetProperty("access").GetString());
            Assert.True(response.Headers.Contains("X-RateLimit-Remaining"));
        });

    [Fact]
    public Task The_api_reference_renders_from_local_assets_without_csp_violations() =>
        browser.RunAsync(nameof(The_api_reference_renders_from_local_assets_without_csp_violations), async page =>
        {
            var problems = new List<string>();
            var outside = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(message.Text);
                }
            };
            page.Request += (_, request) =>
            {
                if (!request.Url.StartsWith(browser.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                {
                    outside.Add(request.Url);
                }
            };
            await page.GotoAsync("/api/reference");
            await Expect(page).ToHaveURLAsync(new Uri(browser.BaseAddress, "/api/reference/").ToString());
            await Expect(page.GetByText("Kuroco API").First).ToBeVisibleAsync();
            await Expect(page.GetByText("/api/v1/me").First).ToBeVisibleAsync();
            Assert.Empty(problems);
            Assert.Empty(outside);
        });
}
