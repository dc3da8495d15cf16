using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Account;

/// <summary>What a person does with links and addresses before signing in.</summary>
public sealed class SharedLinkBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task A_shared_link_with_a_japanese_search_lands_on_that_search_after_sign_in() =>
        browser.RunAsync(nameof(A_shared_link_with_a_japanese_search_lands_on_that_search_after_sign_in), async page =>
        {
            var email = $"shared-{Guid.NewGuid():N}@test.local";
            await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
            await browser.App.WithScopeAsync(async sp =>
            {
                var saved = await sp.GetRequiredService<IContentTypeService>().SaveAsync(new ContentType
                {
                    Name = "News",
                    ApiId = "news",
                    Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText }],
                });
                Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            });
            var errors = new List<string>();
            page.Response += (_, response) =>
            {
                if (response.Status >= 500)
                {
                    errors.Add($"{response.Status} {response.Url}");
                }
            };

            await page.GotoAsync("/content/items/news?q=お茶");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login\\?"));
            await BrowserFixture.SubmitSignInAsync(page, email);

            await Expect(page.GetByTestId("items-search")).ToBeVisibleAsync();
            var url = new Uri(page.Url);
            Assert.Equal("/content/items/news", url.AbsolutePath);
            Assert.Equal("?q=お茶", Uri.UnescapeDataString(url.Query));
            await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Search by title or slug" })).ToHaveValueAsync("お茶");
            Assert.Empty(errors);
        });

    [Fact]
    public Task Opened_by_ip_address_the_sign_in_page_raises_no_passkey_security_error() =>
        browser.RunAsync(nameof(Opened_by_ip_address_the_sign_in_page_raises_no_passkey_security_error), async page =>
        {
            Assert.Equal("127.0.0.1", browser.BaseAddress.Host);
            var console = new List<string>();
            page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
            page.PageError += (_, error) => console.Add("pageerror: " + error);

            await page.GotoAsync("/account/login");
            await Expect(page.GetByTestId("passkeys-need-domain")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("passkey-sign-in")).ToHaveCountAsync(0);
            // The passkey script would have asked for a passkey at once (conditional mediation): give it time to fail.
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.WaitForTimeoutAsync(1_000);

            Assert.DoesNotContain(console, m => m.Contains("SecurityError", StringComparison.Ordinal) || m.Contains("invalid domain", StringComparison.OrdinalIgnoreCase));

            // By name the passkey button is there (and the same page then works with passkeys: PasskeyBrowserTests).
            await page.GotoAsync($"http://localhost:{browser.BaseAddress.Port}/account/login");
            await Expect(page.GetByTestId("passkey-sign-in")).ToBeVisibleAsync();
        });
}
