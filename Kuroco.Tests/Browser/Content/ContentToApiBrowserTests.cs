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
            await BrowserFixture.SignInToAsync(page, "/content/types/new", email);

            // The type: the default title, a rich-text body and an image (the first click waits for the circuit).
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("add-field"), page.GetByTestId("field-1"), "the new field");
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
            await BrowserFixture.ClickUntilVisibleAsync(choose, dialog, "the media picker");
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
            await page.GetByTestId("richtext-source-ja-body").ClickAsync(); // HTML typed in the rich-text editor's source view
            await page.GetByTestId("html-ja-body").FillAsync("<h2>朝</h2><p>Ships <strong>arrive</strong> at dawn.<img src=x onerror=alert(1)></p>");
            await page.GetByTestId("publish").ClickAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
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

    // Each payload sets window.__xss to say which one ran; inline handlers would also trip the CSP, so the
    // test looks at the DOM itself (no on* attribute, no javascript: URL, no injected script) as well as the flag.
    private const string TextPayload =
        "\"><img src=x onerror=\"window.__xss='img'\"><script>window.__xss='script'</script><svg onload=\"window.__xss='svg'\"></svg><a href=\"javascript:window.__xss='a'\">link</a>";

    // Mutation XSS: markup that a sanitizer's parser and the browser's parser may read differently.
    private const string RichPayload = TextPayload
        + "<noscript><p title=\"</noscript><img src=x onerror=window.__xss='mxss1'>\"></p></noscript>"
        + "<svg><style><img src=x onerror=window.__xss='mxss2'></style></svg>"
        + "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss='mxss3'></style></mglyph></table></mtext></math>"
        + "<p>visible rich text</p>";

    private const string MarkdownPayload = "[md link](javascript:window.__xss='md')\n\n<img src=x onerror=window.__xss='mdraw'>\n\n" + TextPayload;

    private const string ChoicePayload = "<img src=x onerror=window.__xss='choice'>";

    private const string InertCheck = """
        () => {
          const bad = [];
          for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
              if (a.name.toLowerCase().startsWith('on')) bad.push(el.tagName + '[' + a.name + ']');
              if (['href', 'src', 'xlink:href', 'action', 'formaction'].includes(a.name.toLowerCase()) && /^\s*javascript:/i.test(a.value)) bad.push(el.tagName + '[' + a.name + ']');
            }
          }
          for (const s of document.scripts) { if (s.textContent.includes('__xss')) bad.push('script'); }
          return (window.__xss === undefined ? '' : 'ran:' + String(window.__xss) + ' ') + bad.join(' ');
        }
        """;

    [Fact]
    public Task Xss_payloads_in_every_field_kind_stay_inert_in_the_list_editor_preview_and_history_diff() =>
        browser.RunAsync(nameof(Xss_payloads_in_every_field_kind_stay_inert_in_the_list_editor_preview_and_history_diff), async page =>
        {
            var apiId = "xss" + Guid.NewGuid().ToString("N")[..8];
            var kinds = new[] { FieldKind.ShortText, FieldKind.LongText, FieldKind.RichText, FieldKind.Markdown, FieldKind.SingleChoice, FieldKind.MultipleChoice, FieldKind.Tags };
            var (itemId, _) = await browser.App.WithScopeAsync(async sp =>
            {
                var types = sp.GetRequiredService<IContentTypeService>();
                var items = sp.GetRequiredService<IContentItemService>();
                var saved = await types.SaveAsync(new ContentType
                {
                    Name = "XSS <img src=x onerror=window.__xss='type'>",
                    ApiId = apiId,
                    Description = TextPayload,
                    Fields = [.. kinds.Select(k => new FieldDefinition
                    {
                        Key = k.ToString().ToLowerInvariant(),
                        LabelEn = k + " <svg onload=window.__xss='label'>",
                        Kind = k,
                        Choices = k is FieldKind.SingleChoice or FieldKind.MultipleChoice ? [ChoicePayload, "plain"] : [],
                    })],
                });
                Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
                var input = new ContentItemInput { TypeId = saved.Value!.Id, Slug = "xss-item" };
                void Fill(string prefix)
                {
                    input.Ja["shorttext"] = prefix + TextPayload;
                    input.Ja["longtext"] = prefix + TextPayload + "\n" + TextPayload;
                    input.Ja["richtext"] = "<p>" + prefix + "</p>" + RichPayload;
                    input.Ja["markdown"] = prefix + MarkdownPayload;
                    input.Ja["singlechoice"] = ChoicePayload;
                    input.Ja["multiplechoice"] = ChoicePayload + "\nplain";
                    input.Ja["tags"] = prefix + "<script>window.__xss='tag'</script>\n<img src=x onerror=window.__xss='tag2'>";
                }
                Fill("v1 ");
                var first = await items.SaveDraftAsync(input);
                Assert.True(first.Succeeded, string.Join(" ", first.Errors));
                input.Id = first.Value!.Id;
                input.ConcurrencyToken = first.Value.ConcurrencyToken;
                Fill("v2 ");
                var second = await items.SaveDraftAsync(input);
                Assert.True(second.Succeeded, string.Join(" ", second.Errors));
                return (second.Value!.Id, second.Value.VersionCount);
            });

            var dialogs = new List<string>();
            var cspViolations = new List<string>();
            void OnDialog(object? sender, IDialog d)
            {
                dialogs.Add(d.Message);
                _ = d.DismissAsync();
            }
            void OnConsole(object? sender, IConsoleMessage m)
            {
                if (m.Type == "error" && m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                {
                    cspViolations.Add(m.Text);
                }
            }
            page.Dialog += OnDialog;
            page.Console += OnConsole;
            try
            {
                var email = $"editor-{Guid.NewGuid():N}@test.local";
                await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
                await BrowserFixture.SignInToAsync(page, $"/content/items/{apiId}", email);

                async Task AssertInertAsync(string where)
                {
                    // Give any injected handler (image error, svg load) the chance to run before looking.
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    var found = await page.EvaluateAsync<string>(InertCheck);
                    Assert.True(found.Length == 0, $"{where}: {found}");
                    Assert.True(dialogs.Count == 0, $"{where}: a dialog opened: {string.Join(" | ", dialogs)}");
                    Assert.True(cspViolations.Count == 0, $"{where}: the CSP had to block something: {string.Join(" | ", cspViolations)}");
                }

                // The list: the title (first short text) is shown as text.
                var link = page.GetByTestId("item-xss-item");
                await Expect(link).ToContainTextAsync("v2 \"><img src=x onerror=");
                await AssertInertAsync("item list");

                // The editor (rich text in its WYSIWYG editor), then with the Markdown preview switched on.
                await link.ClickAsync();
                await Expect(page.GetByTestId("value-ja-shorttext")).ToHaveValueAsync("v2 " + TextPayload);
                await Expect(page.GetByTestId("value-ja-richtext")).ToContainTextAsync("visible rich text");
                await Expect(page.Locator("body")).ToContainTextAsync("ShortText <svg onload=window.__xss='label'>");
                await AssertInertAsync("editor");
                await page.GetByTestId("input-ja-markdown").GetByText("Preview").ClickAsync();
                await Expect(page.GetByTestId("preview-ja-markdown")).ToContainTextAsync("md link");
                await AssertInertAsync("editor with previews");

                // The preview tab renders sanitized rich text as HTML and everything else as text.
                await page.GetByRole(AriaRole.Tab, new() { Name = "Preview" }).ClickAsync();
                await Expect(page.GetByTestId("preview-ja")).ToContainTextAsync("visible rich text");
                await AssertInertAsync("preview tab");
                await Expect(page.GetByTestId("preview-ja")).ToContainTextAsync("<script>window.__xss='script'</script>");

                // The history compares the two versions side by side.
                await page.GotoAsync($"/content/edit/{itemId}/history");
                await Expect(page.GetByTestId("diff").First).ToContainTextAsync("v1");
                await Expect(page.Locator("body")).ToContainTextAsync("v2 \"><img src=x onerror=");
                await AssertInertAsync("history diff");
            }
            finally
            {
                page.Dialog -= OnDialog;
                page.Console -= OnConsole;
            }
        });
}
