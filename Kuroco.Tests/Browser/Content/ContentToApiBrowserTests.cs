using System.Net;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Content;

/// <summary>
/// From the editor's browser to a website's request: a type with rich text and an image, an item with a
/// picture uploaded in the media picker, published, then read over the delivery API; and XSS payloads
/// in every field kind that stay inert wherever the console shows them in a real browser.
/// </summary>
public sealed class ContentToApiBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task SignInAsync(IPage page, string email, string returnUrl)
    {
        await page.GotoAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(KurocoAppFactory.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    private static async Task ChooseKindAsync(IPage page, int index, string kind)
    {
        await page.GetByTestId($"field-{index}").Locator("div.mud-select").First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = kind, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);
    }

    [Fact]
    public Task An_editor_publishes_rich_text_with_an_uploaded_image_and_the_api_returns_both() =>
        browser.RunAsync(nameof(An_editor_publishes_rich_text_with_an_uploaded_image_and_the_api_returns_both), async page =>
        {
            var email = $"editor-{Guid.NewGuid():N}@test.local";
            var apiId = "stories" + Guid.NewGuid().ToString("N")[..6];
            await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
            await SignInAsync(page, email, "/content/types/new");

            // The type: the default title, a rich-text body and an image (the first click waits for the circuit).
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await page.GetByTestId("field-1").CountAsync() == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The Blazor circuit did not connect.");
                await page.GetByTestId("add-field").ClickAsync();
                await page.WaitForTimeoutAsync(300);
            }
            await page.GetByTestId("add-field").ClickAsync();
            await Expect(page.GetByTestId("field-2")).ToBeVisibleAsync();
            await page.GetByTestId("type-name").FillAsync("Stories");
            await page.GetByTestId("type-api-id").FillAsync(apiId);
            await page.GetByTestId("field-key-1").FillAsync("body");
            await page.GetByTestId("field-label-1").FillAsync("Body");
            await ChooseKindAsync(page, 1, "Rich text (HTML)");
            await page.GetByTestId("field-key-2").FillAsync("hero");
            await page.GetByTestId("field-label-2").FillAsync("Hero image");
            await ChooseKindAsync(page, 2, "Media");
            await page.GetByTestId("save-type").ClickAsync();
            await Expect(page.Locator("body")).ToContainTextAsync("was saved");
            var type = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IContentTypeService>().FindByApiIdAsync(apiId));
            Assert.NotNull(type);
            Assert.Equal(FieldKind.Media, type.Fields.Single(f => f.Key == "hero").Kind);

            // The item: title, rich text typed as HTML, and a picture uploaded from the picker's dialog.
            await page.GotoAsync($"/content/items/{apiId}/new");
            var choose = page.GetByTestId("value-ja-hero").GetByTestId("media-picker-choose");
            var dialog = page.GetByTestId("media-picker-dialog");
            deadline = DateTime.UtcNow.AddSeconds(20);
            while (!await dialog.IsVisibleAsync())
            {
                Assert.True(DateTime.UtcNow < deadline, "The media picker did not open (circuit not connected?).");
                await choose.ClickAsync();
                await page.WaitForTimeoutAsync(300);
            }
            await dialog.GetByText("Upload new").ClickAsync();
            await dialog.GetByTestId("media-upload-input").SetInputFilesAsync(new FilePayload
            {
                Name = "harbour.png",
                MimeType = "image/png",
                Buffer = MediaSamples.Png(64, 48, red: 0x20, green: 0x60, blue: 0xA0),
            });
            await Expect(dialog.GetByTestId("media-upload-done")).ToHaveTextAsync("Uploaded");
            await dialog.GetByTestId("media-card").Filter(new() { HasText = "harbour.png" }).ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("value-ja-hero").GetByTestId("media-picker-name")).ToHaveTextAsync("harbour.png");

            await page.GetByTestId("item-slug").FillAsync("harbour-day");
            await page.GetByTestId("value-ja-title").FillAsync("港の一日");
            await page.GetByTestId("value-ja-body").FillAsync("<h2>朝</h2><p>Ships <strong>arrive</strong> at dawn.<img src=x onerror=alert(1)></p>");
            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("status-chip")).ToContainTextAsync("Published");

            var media = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().SearchAsync(new MediaQuery("harbour.png")));
            var picture = Assert.Single(media.Items);
            Assert.Equal((64, 48), (picture.Width, picture.Height));

            // A website reads it with a read key for the type.
            var (_, secret) = await browser.App.CreateKeyAsync("Harbour website", ApiAccess.Read, [apiId]);
            using var http = new HttpClient { BaseAddress = browser.BaseAddress };
            using var request = ApiTestKeys.Get($"/api/v1/content/{apiId}/harbour-day?lang=ja", secret);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var item = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("harbour-day", item.GetProperty("slug").GetString());
            var fields = item.GetProperty("fields");
            Assert.Equal("港の一日", fields.GetProperty("title").GetString());
            Assert.Equal("<h2>朝</h2><p>Ships <strong>arrive</strong> at dawn.<img src=\"x\"></p>", fields.GetProperty("body").GetString());
            Assert.Equal(picture.Id, fields.GetProperty("hero").GetGuid());
        });
}
