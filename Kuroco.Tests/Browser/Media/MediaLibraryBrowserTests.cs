using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Media;

/// <summary>An editor drops an image on the library page (under the app's CSP) and sees its thumbnail, made and served by GET /media/{id}/thumbnail.</summary>
public sealed class MediaLibraryBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string EditorEmail = "mia.media@test.local";

    [Fact]
    public Task An_editor_uploads_an_image_and_sees_its_thumbnail() =>
        browser.RunAsync(nameof(An_editor_uploads_an_image_and_sees_its_thumbnail), async page =>
        {
            await browser.App.CreateStaffAsync(EditorEmail, StaffRoles.ContentEditor);
            await BrowserFixture.SignInAsync(page, EditorEmail);

            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Media library" })).ToHaveAttributeAsync("href", "media");
            await page.GotoAsync("/media");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Media library");
            await Expect(page.GetByTestId("media-empty")).ToBeVisibleAsync();

            // The search answers only once the circuit is connected; from then on the file input is live too.
            var search = page.GetByTestId("media-search");
            await BrowserFixture.UntilAsync(() => page.GetByText("Nothing matches the search.").IsVisibleAsync(), async () =>
            {
                await search.FillAsync("");
                await search.FillAsync("zzz");
            }, "the search");
            await search.FillAsync("");
            await Expect(page.GetByTestId("media-empty")).ToHaveTextAsync("The library is empty.");

            await page.GetByTestId("media-upload-input").SetInputFilesAsync(new FilePayload
            {
                Name = "sunrise.png",
                MimeType = "image/png",
                Buffer = MediaSamples.Png(640, 400, red: 0xF4, green: 0x8F, blue: 0x2A),
            });

            await Expect(page.GetByTestId("media-upload-done")).ToHaveTextAsync("Uploaded");
            var card = page.GetByTestId("media-card").Filter(new() { HasText = "sunrise.png" });
            await Expect(card).ToContainTextAsync("640×400");
            var thumbnail = card.Locator("img");
            await Expect(thumbnail).ToBeVisibleAsync();
            await Expect(thumbnail).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^/media/[0-9a-f-]{36}/thumbnail$"));
            // The browser really decoded the server's 320-pixel WebP (a broken image has no natural width; the original is 640 wide).
            await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth === 320 && img.naturalHeight === 200", await thumbnail.ElementHandleAsync());
        });
}
