using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Content;

/// <summary>An editor models a type with rich text, writes an item, publishes it and sees it Published in the list.</summary>
public sealed class ContentPublishingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_editor_creates_a_type_adds_an_item_with_rich_text_and_publishes_it() =>
        browser.RunAsync(nameof(An_editor_creates_a_type_adds_an_item_with_rich_text_and_publishes_it), async page =>
        {
            var email = $"editor-{Guid.NewGuid():N}@test.local";
            var apiId = "news" + Guid.NewGuid().ToString("N")[..6];
            await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
            await BrowserFixture.SignInToAsync(page, "/content/types/new", email);

            // The type: the default required title plus a rich-text body (wait for the circuit: the click adds a field once connected).
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("add-field"), page.GetByTestId("field-1"), "the new field");
            await page.GetByTestId("type-name").FillAsync("News");
            await page.GetByTestId("type-api-id").FillAsync(apiId);
            await page.GetByTestId("field-key-1").FillAsync("body");
            await page.GetByTestId("field-label-1").FillAsync("Body");
            await page.GetByTestId("field-1").Locator("div.mud-select").First.ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "Rich text (HTML)" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);
            // Rich text has no pattern input: its absence shows the server applied the new kind.
            await Expect(page.GetByTestId("field-1").GetByLabel("Pattern (regular expression)")).ToHaveCountAsync(0);
            await page.GetByTestId("save-type").ClickAsync();
            await Expect(page.Locator("body")).ToContainTextAsync("was saved");
            var type = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IContentTypeService>().FindByApiIdAsync(apiId));
            Assert.NotNull(type);
            Assert.Equal(FieldKind.RichText, type.Fields.Single(f => f.Key == "body").Kind);

            // The item.
            await page.GotoAsync($"/content/items/{apiId}/new");
            // Typing before the circuit connects is lost: the title fills the slug (here with the date) only once it is.
            var slug = page.GetByTestId("item-slug");
            await BrowserFixture.UntilAsync(async () => await slug.InputValueAsync() != "",
                () => page.GetByTestId("value-ja-title").FillAsync("最初のニュース"), "the slug suggestion");
            await slug.FillAsync("first-news");
            // Typed as HTML in the rich-text editor's source view (the editor appears once the circuit is up).
            await Expect(page.GetByTestId("value-ja-body")).ToBeVisibleAsync();
            await page.GetByTestId("richtext-source-ja-body").ClickAsync();
            await page.GetByTestId("html-ja-body").FillAsync("<p>Hello <strong>world</strong><script>alert(1)</script></p>");
            await page.GetByTestId("publish").ClickAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("status-chip")).ToContainTextAsync("Published");

            // The list shows it Published.
            await page.GotoAsync($"/content/items/{apiId}");
            var row = page.Locator("tr", new() { Has = page.GetByTestId("item-first-news") });
            await Expect(row).ToContainTextAsync("Published");
            await Expect(row).ToContainTextAsync("最初のニュース");

            var published = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IPublishedContentReader>().FindAsync(apiId, "first-news", "ja"));
            Assert.NotNull(published);
            Assert.Equal("<p>Hello <strong>world</strong></p>", published.Values["body"]);
        });

    [Fact]
    public Task A_new_editor_finds_the_new_type_in_the_drawer_and_publishes_an_item_whose_slug_follows_the_English_title_in_the_Japanese_console() =>
        browser.RunAsync(nameof(A_new_editor_finds_the_new_type_in_the_drawer_and_publishes_an_item_whose_slug_follows_the_English_title_in_the_Japanese_console), async page =>
        {
            var email = $"new-editor-{Guid.NewGuid():N}@test.local";
            var apiId = "notices" + Guid.NewGuid().ToString("N")[..6];
            await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
            try
            {
                await BrowserFixture.SignInToAsync(page, "/content/types/new", email);

                // The type: the default title (labels in both languages) and a summary (the click waits for the circuit).
                await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("add-field"), page.GetByTestId("field-1"), "the new field");
                await page.GetByTestId("type-name").FillAsync("Notices");
                await page.GetByTestId("type-api-id").FillAsync(apiId);
                await page.GetByTestId("field-key-1").FillAsync("summary");
                await page.GetByTestId("field-label-1").FillAsync("Summary");
                await page.GetByTestId("field-label-ja-1").FillAsync("概要");
                await page.GetByTestId("save-type").ClickAsync();
                await Expect(page.GetByTestId("type-go-to-items")).ToBeVisibleAsync();
                // The open drawer lists the new type at once.
                await Expect(page.GetByTestId($"nav-type-{apiId}")).ToContainTextAsync("Notices");

                // The rest in Japanese: the switcher reloads the page.
                var switcher = page.GetByTestId("culture-switcher");
                var japanese = page.GetByTestId("culture-ja");
                await BrowserFixture.ClickUntilVisibleAsync(switcher, japanese, "the language menu");
                await japanese.ClickAsync();
                await Expect(page.GetByTestId("nav-content")).ToContainTextAsync("コンテンツタイプ");
                // The reload starts a new circuit. A link clicked before it is up is undone when the circuit renders the
                // old page again (the address changes, the page does not): wait until the menu answers, then navigate.
                await BrowserFixture.ClickUntilVisibleAsync(switcher, japanese, "the language menu after the reload");
                await BrowserFixture.UntilAsync(async () => !await japanese.IsVisibleAsync(), () => page.Mouse.ClickAsync(600, 5), "the language menu to close");
                await page.GetByTestId($"nav-type-{apiId}").ClickAsync();
                await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/content/items/{apiId}$"));
                await Expect(page.GetByTestId("new-item")).ToContainTextAsync("新しいアイテム");
                var newItemPage = new System.Text.RegularExpressions.Regex($"/content/items/{apiId}/new$");
                await BrowserFixture.UntilAsync(
                    () => Task.FromResult(newItemPage.IsMatch(page.Url) && page.Url.EndsWith("/new", StringComparison.Ordinal)),
                    () => page.GetByTestId("new-item").ClickAsync(new() { Timeout = 5000 }),
                    "the new-item page");

                // Opening the English tab needs the circuit: click until its inputs show.
                var englishTitle = page.GetByTestId("value-en-title");
                await BrowserFixture.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Tab, new() { Name = "英語" }), englishTitle, "the English tab");
                await englishTitle.FillAsync("Spring Notice: Office Move");
                await Expect(page.GetByTestId("item-slug")).ToHaveValueAsync("spring-notice-office-move");
                await page.GetByRole(AriaRole.Tab, new() { Name = "日本語" }).ClickAsync();
                await page.GetByTestId("value-ja-title").FillAsync("春のお知らせ：事務所移転");
                await page.GetByTestId("value-ja-summary").FillAsync("4月に移転します。");

                await page.GetByTestId("publish").ClickAsync();
                await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("「春のお知らせ：事務所移転」を日本語と英語で公開しますか？");
                await page.GetByTestId("confirm-ok").ClickAsync();
                await Expect(page.GetByTestId("status-chip")).ToContainTextAsync("公開中");

                var published = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IPublishedContentReader>().FindAsync(apiId, "spring-notice-office-move", "en"));
                Assert.NotNull(published);
                Assert.Equal("Spring Notice: Office Move", published.Values["title"]);
            }
            finally
            {
                // The culture cookie stays with this browser: the other tests of the class expect English.
                await browser.Context.ClearCookiesAsync();
            }
        });
}
