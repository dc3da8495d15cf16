using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Demo;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Content;

/// <summary>
/// The rich-text field's WYSIWYG editor in a real browser: an editor writes a formatted article with the toolbar and
/// the keyboard only (heading, bold, list, link, table, an image from the media library), pastes from Word into the
/// English value, saves and publishes; the published HTML holds exactly those elements and nothing from Word.
/// And in Japanese: the toolbar and the link dialog speak Japanese, a demo-seeder body opens in the editor without
/// becoming a change, the HTML source view, undo/redo, and a long article (sent in parts, Save clicked at once) are saved.
/// </summary>
public sealed class RichTextEditorBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>What Word (Windows, Microsoft 365) puts on the clipboard as text/html for a short document: Office namespaces,
    /// a style sheet, MsoNormal classes, inline styles, spans with fonts and colours, o:p fillers, a list written as mso-list
    /// paragraphs, a picture on the local disk, a table with widths and borders, plus markup that must never survive.</summary>
    public const string WordClipboard = """
        <html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">
        <head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
        <!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->
        <style><!--
         /* Font Definitions */
         @font-face {font-family:"Yu Mincho"; panose-1:2 2 4 0 0 0 0 0 0 0; mso-font-charset:128;}
        p.MsoNormal, li.MsoNormal, div.MsoNormal {mso-style-unhide:no; margin:0mm; text-align:justify; font-size:10.5pt; font-family:"Century",serif;}
        body { background: red }
        --></style>
        </head>
        <body lang=JA style='tab-interval:42.0pt;word-wrap:break-word;text-justify-trim:punctuation'>
        <!--StartFragment-->
        <h1 style='margin:0mm'><span lang=EN-US style='font-family:"Yu Gothic Light";color:#2F5496'>Spring tea festival</span><span lang=EN-US><o:p></o:p></span></h1>
        <p class=MsoNormal><span lang=EN-US style='font-size:12.0pt;font-family:"Arial",sans-serif;color:#C00000'>Join us on <b>April 5</b> for a <i>tasting</i> of new teas.</span><span lang=EN-US><o:p></o:p></span></p>
        <p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
        <p class=MsoListParagraphCxSpFirst style='margin-left:18.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span lang=EN-US>Sencha from Shizuoka<o:p></o:p></span></p>
        <p class=MsoListParagraphCxSpLast style='margin-left:18.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span lang=EN-US>Gyokuro from Yame<o:p></o:p></span></p>
        <p class=MsoNormal><span lang=EN-US>Tickets: </span><a href="https://example.com/tickets" target="_blank" class=MsoHyperlink><span lang=EN-US style='color:#0563C1'>example.com/tickets</span></a><span lang=EN-US><o:p></o:p></span></p>
        <p class=MsoNormal><font face="MS Gothic" color=red>Old font</font> <span class=SpellE>Kyusu</span> <a href="javascript:alert(1)">bad link</a><img width=64 height=48 src="file:///C:/Users/user/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png" v:shapes="Picture_x0020_1"></p>
        <table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>
         <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
          <td width=283 valign=top style='width:212.4pt;border:solid windowtext 1.0pt;padding:0mm 5.4pt 0mm 5.4pt'><p class=MsoNormal><b><span lang=EN-US>Tea</span></b></p></td>
          <td width=283 valign=top style='width:212.4pt;border:solid windowtext 1.0pt'><p class=MsoNormal align=right style='text-align:right'><b><span lang=EN-US>Price</span></b></p></td>
         </tr>
         <tr><td width=283 style='width:212.4pt'><p class=MsoNormal><span lang=EN-US>Sencha</span></p></td><td width=283><p class=MsoNormal align=right style='text-align:right'><span lang=EN-US>1,200 yen</span></p></td></tr>
        </table>
        <p class=MsoNormal onclick="alert(3)"><span style='mso-spacerun:yes'>&nbsp;</span>End<script>window.__xss = 1</script></p>
        <!--EndFragment-->
        </body></html>
        """;

    /// <summary>The Japanese body the test writes with the toolbar and keyboard, as the editor stores it.</summary>
    public static string ExpectedJapaneseBody(Guid pictureId) =>
        "<h2>朝の港</h2>\n<p>Ships <strong>arrive</strong> at dawn.</p>\n<ul>\n<li><p>Sencha</p></li>\n<li><p>Gyokuro</p></li>\n</ul>\n"
        + "<p><a href=\"https://example.com/harbour\">Read more</a></p>\n"
        + "<table>\n<thead>\n<tr>\n<th><p>Tea</p></th>\n<th><p>Price</p></th>\n</tr>\n</thead>\n<tbody>\n"
        + "<tr>\n<td><p>Sencha</p></td>\n<td><p>1,200 yen</p></td>\n</tr>\n<tr>\n<td><p>Gyokuro</p></td>\n<td><p>3,000 yen</p></td>\n</tr>\n</tbody>\n</table>\n"
        + $"<img src=\"/media/{pictureId}\" alt=\"朝の港に入る船\">";

    /// <summary>What is left of <see cref="WordClipboard"/> after a paste into the English value.</summary>
    public const string ExpectedEnglishBody =
        "<h2>Spring tea festival</h2>\n<p>Join us on <strong>April 5</strong> for a <em>tasting</em> of new teas.</p>\n"
        + "<ul>\n<li><p>Sencha from Shizuoka</p></li>\n<li><p>Gyokuro from Yame</p></li>\n</ul>\n"
        + "<p>Tickets: <a href=\"https://example.com/tickets\">example.com/tickets</a></p>\n<p>Old font Kyusu bad link</p>\n"
        + "<table>\n<tbody>\n<tr>\n<td><p><strong>Tea</strong></p></td>\n<td><p><strong>Price</strong></p></td>\n</tr>\n"
        + "<tr>\n<td><p>Sencha</p></td>\n<td><p>1,200 yen</p></td>\n</tr>\n</tbody>\n</table>\n<p>&nbsp;End</p>";

    private Task<ContentType> CreateTypeAsync(string apiId) => browser.App.WithScopeAsync(async sp =>
    {
        var saved = await sp.GetRequiredService<IContentTypeService>().SaveAsync(new ContentType
        {
            Name = "Articles " + apiId,
            ApiId = apiId,
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true },
                new FieldDefinition { Key = "body", LabelEn = "Body", Kind = FieldKind.RichText, Required = true },
            ],
        });
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        return saved.Value!;
    });

    private static async Task PasteHtmlAsync(ILocator editable, string html) =>
        await editable.EvaluateAsync("""
            (element, html) => {
              element.focus();
              const data = new DataTransfer();
              data.setData('text/html', html);
              data.setData('text/plain', 'plain text fallback');
              element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
            }
            """, html);

    /// <summary>Every error the page logs: a CSP violation, a failed circuit call, an exception in the editor module.</summary>
    private static List<string> WatchErrors(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                violations.Add(message.Text + " @ " + message.Location);
            }
        };
        return violations;
    }

    [Fact]
    public Task An_editor_writes_a_formatted_article_without_html_pastes_from_word_and_the_published_html_is_clean() =>
        browser.RunAsync(nameof(An_editor_writes_a_formatted_article_without_html_pastes_from_word_and_the_published_html_is_clean), async page =>
        {
            var apiId = "rt" + Guid.NewGuid().ToString("N")[..8];
            var type = await CreateTypeAsync(apiId);
            var fileName = $"harbour-{Guid.NewGuid():N}.png";
            var picture = await browser.App.WithScopeAsync(async sp =>
            {
                var library = sp.GetRequiredService<IMediaLibrary>();
                var uploaded = await library.UploadAsync(new MemoryStream(MediaSamples.Png(64, 48, red: 0x20, green: 0x60, blue: 0xA0)), fileName);
                Assert.True(uploaded.Succeeded, string.Join(" ", uploaded.Errors));
                var details = await library.UpdateDetailsAsync(uploaded.Value!.Id, new MediaDetails("朝の港に入る船", "Ships entering the harbour at dawn", null, null));
                Assert.True(details.Succeeded, string.Join(" ", details.Errors));
                return details.Value!;
            });
            var email = $"editor-{Guid.NewGuid():N}@test.local";
            await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
            await BrowserFixture.SignInToAsync(page, $"/content/items/{apiId}/new", email);

            // The editor appears once the circuit has connected and the module has created it.
            var field = page.GetByTestId("richtext-ja-body");
            var editable = page.GetByTestId("value-ja-body");
            await Expect(editable).ToBeVisibleAsync();
            var errors = WatchErrors(page);
            await Expect(editable).ToHaveAttributeAsync("role", "textbox");
            await Expect(editable).ToHaveAttributeAsync("aria-multiline", "true");
            await Expect(editable).ToHaveAttributeAsync("aria-label", "Body");
            await Expect(editable).ToHaveAttributeAsync("lang", "ja");
            await page.GetByTestId("item-slug").FillAsync("harbour-morning");
            await page.GetByTestId("value-ja-title").FillAsync("港の朝");

            // Keyboard: Tab from the title reaches the toolbar (one tab stop), arrows move in it, Tab again reaches the text.
            await page.GetByTestId("value-ja-title").FocusAsync();
            await page.Keyboard.PressAsync("Tab");
            var toolbar = page.GetByTestId("richtext-toolbar-ja-body");
            await Expect(toolbar.Locator("button:focus")).ToHaveAttributeAsync("aria-label", "Heading 2 (H2)"); // undo/redo are disabled
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(toolbar.Locator("button:focus")).ToHaveAttributeAsync("aria-label", "Heading 3 (H3)");
            await page.Keyboard.PressAsync("Tab");
            await Expect(editable).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Alt+F10"); // back to the toolbar, on the button last used there
            await Expect(toolbar.Locator("button:focus")).ToHaveAttributeAsync("aria-label", "Heading 3 (H3)");
            await page.Keyboard.PressAsync("Escape");
            await Expect(editable).ToBeFocusedAsync();

            // A heading, a paragraph with bold text (Ctrl+B), a bulleted list.
            var h2 = field.GetByTestId("richtext-h2");
            await h2.ClickAsync();
            await Expect(h2).ToHaveAttributeAsync("aria-pressed", "true");
            await page.Keyboard.TypeAsync("朝の港");
            await page.Keyboard.PressAsync("Enter");
            await Expect(h2).ToHaveAttributeAsync("aria-pressed", "false");
            await page.Keyboard.TypeAsync("Ships ");
            await page.Keyboard.PressAsync("Control+b");
            await page.Keyboard.TypeAsync("arrive");
            await Expect(field.GetByTestId("richtext-bold")).ToHaveAttributeAsync("aria-pressed", "true");
            await page.Keyboard.PressAsync("Control+b");
            await page.Keyboard.TypeAsync(" at dawn.");
            await page.Keyboard.PressAsync("Enter");
            await field.GetByTestId("richtext-bulletList").ClickAsync();
            await page.Keyboard.TypeAsync("Sencha");
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.TypeAsync("Gyokuro");
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.PressAsync("Enter"); // an empty item ends the list
            await Expect(page.GetByTestId("unsaved")).ToBeVisibleAsync();

            // A link on selected text through the dialog (Ctrl+K): a javascript: address is refused with a message.
            await page.Keyboard.TypeAsync("Read more");
            await page.Keyboard.PressAsync("Shift+Home");
            await page.Keyboard.PressAsync("Control+k");
            var linkDialog = page.GetByTestId("richtext-link-dialog");
            await Expect(linkDialog).ToBeVisibleAsync();
            await linkDialog.Locator("input").First.FillAsync("javascript:alert(1)");
            await page.GetByTestId("richtext-link-apply").ClickAsync();
            await Expect(linkDialog).ToContainTextAsync("Use an address starting with https://");
            await linkDialog.Locator("input").First.FillAsync("https://example.com/harbour");
            await page.GetByTestId("richtext-link-apply").ClickAsync();
            await Expect(linkDialog).ToHaveCountAsync(0);
            await Expect(editable.Locator("a[href='https://example.com/harbour']")).ToHaveTextAsync("Read more");
            await page.Keyboard.PressAsync("End");
            await page.Keyboard.PressAsync("Enter");

            // A table with a header row: fill it with Tab, then add and remove a row and a column from the toolbar's table group.
            await field.GetByTestId("richtext-table").ClickAsync();
            var addRow = field.GetByTestId("richtext-addRow");
            await Expect(addRow).ToBeVisibleAsync();
            foreach (var cell in new[] { "Tea", "Price", "Origin", "Sencha", "1,200 yen", "Shizuoka", "Gyokuro", "3,000 yen", "Yame" })
            {
                await page.Keyboard.TypeAsync(cell);
                if (cell != "Yame")
                {
                    await page.Keyboard.PressAsync("Tab");
                }
            }
            await field.GetByTestId("richtext-deleteColumn").ClickAsync(); // the Origin column (the cursor is in "Yame")
            await Expect(editable.Locator("table tr").First.Locator("th")).ToHaveCountAsync(2);
            await addRow.ClickAsync();
            await Expect(editable.Locator("table tr")).ToHaveCountAsync(4);
            await page.Keyboard.PressAsync("ArrowDown"); // into the new, empty row
            await field.GetByTestId("richtext-deleteRow").ClickAsync();
            await Expect(editable.Locator("table tr")).ToHaveCountAsync(3);

            // Leave the table (the editor keeps a paragraph after it) and insert the picture from the media library.
            await page.Keyboard.PressAsync("Control+End");
            await Expect(addRow).ToBeHiddenAsync();
            await field.GetByTestId("richtext-image").ClickAsync();
            var picker = page.GetByTestId("media-picker-dialog");
            await Expect(picker).ToBeVisibleAsync();
            await picker.GetByTestId("media-card").Filter(new() { HasText = fileName }).ClickAsync();
            await Expect(picker).ToHaveCountAsync(0);
            await Expect(editable.Locator($"img[src='/media/{picture.Id}']")).ToHaveAttributeAsync("alt", "朝の港に入る船");

            // The English value: a paste from Word comes out as plain structure.
            await page.GetByRole(AriaRole.Tab, new() { Name = "English" }).ClickAsync();
            var english = page.GetByTestId("value-en-body");
            await Expect(english).ToBeVisibleAsync();
            await Expect(english).ToHaveAttributeAsync("lang", "en");
            await page.GetByTestId("value-en-title").FillAsync("Spring tea festival");
            await PasteHtmlAsync(english, WordClipboard);
            await Expect(english.Locator("h2")).ToHaveTextAsync("Spring tea festival");
            await english.BlurAsync();

            // What the editor itself holds, in its stored form (the server's sanitizer must keep exactly this).
            const string Serialized = "async element => (await import('/js/richtext-editor.js')).serializeHtml(element.editor.getHTML())";
            Assert.Equal(ExpectedEnglishBody, await english.EvaluateAsync<string>(Serialized));
            await page.GetByTestId("save-draft").ClickAsync();
            await Expect(page.GetByTestId("unsaved")).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Japanese" }).ClickAsync();
            Assert.Equal(ExpectedJapaneseBody(picture.Id), await editable.EvaluateAsync<string>(Serialized));
            await page.GetByTestId("publish").ClickAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("status-chip")).ToContainTextAsync("Published");

            var (ja, en) = await browser.App.WithScopeAsync(async sp =>
            {
                var reader = sp.GetRequiredService<IPublishedContentReader>();
                var japanese = await reader.FindAsync(apiId, "harbour-morning", "ja");
                var englishItem = await reader.FindAsync(apiId, "harbour-morning", "en");
                return (japanese!.Values["body"], englishItem!.Values["body"]);
            });
            Assert.Equal(ExpectedJapaneseBody(picture.Id), ja);
            Assert.Equal(ExpectedEnglishBody, en);

            // The inline picture counts as a usage of the media item (a delete asks first).
            var usages = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().FindUsagesAsync(picture.Id));
            Assert.Contains(usages, u => u.Title.Contains("harbour-morning", StringComparison.Ordinal));

            // The preview tab shows the same rich text as a reader would see it.
            await page.GetByRole(AriaRole.Tab, new() { Name = "Preview" }).ClickAsync();
            await Expect(page.GetByTestId("preview-ja").Locator("table thead th")).ToHaveCountAsync(2);
            await Expect(page.GetByTestId("preview-ja").Locator($"img[alt='朝の港に入る船']")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("preview-en").Locator("h2")).ToHaveTextAsync("Spring tea festival");
            Assert.True(errors.Count == 0, "The page logged errors: " + string.Join(" | ", errors));
            Assert.False(await page.EvaluateAsync<bool>("() => window.__xss !== undefined"));
        });

    [Fact]
    public Task In_japanese_the_editor_speaks_japanese_opens_a_demo_body_unchanged_and_saves_source_edits_and_a_long_paste() =>
        browser.RunAsync(nameof(In_japanese_the_editor_speaks_japanese_opens_a_demo_body_unchanged_and_saves_source_edits_and_a_long_paste), async page =>
        {
            var apiId = "rt" + Guid.NewGuid().ToString("N")[..8];
            var type = await CreateTypeAsync(apiId);
            var demo = DemoSeeder.NewsValues(DemoCatalog.NewsItems[0], 0, ContentLanguages.Japanese, Guid.NewGuid(), DateTime.UtcNow)["body"]!;
            var item = await browser.App.WithScopeAsync(async sp =>
            {
                var input = new ContentItemInput { TypeId = type.Id, Slug = "demo-body" };
                input.Ja["title"] = "デモ";
                input.Ja["body"] = demo;
                var saved = await sp.GetRequiredService<IContentItemService>().SaveDraftAsync(input);
                Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
                return saved.Value!;
            });
            var email = $"editor-{Guid.NewGuid():N}@test.local";
            await browser.App.CreateStaffAsync(email, StaffRoles.ContentEditor);
            await BrowserFixture.SignInToAsync(page, "/", email);
            await Expect(page.GetByTestId("culture-switcher")).ToBeVisibleAsync();
            var errors = WatchErrors(page);
            await page.GotoAsync("/culture/set?culture=ja-JP&returnUrl=" + Uri.EscapeDataString($"/content/edit/{item.Id}"));
            try
            {
                var field = page.GetByTestId("richtext-ja-body");
                var editable = page.GetByTestId("value-ja-body");
                await Expect(editable).ToBeVisibleAsync();

                // The demo body as the editor shows it: heading, list, emphasis and the mailto link.
                await Expect(editable.Locator("h2")).ToHaveTextAsync("概要");
                await Expect(editable.Locator("ul li")).ToHaveCountAsync(3);
                await Expect(editable.Locator("em")).ToHaveCountAsync(1);
                await Expect(editable.Locator("a[href='mailto:press@sakura-works.example']")).ToHaveCountAsync(1);
                await page.WaitForTimeoutAsync(600); // longer than the editor's debounce: a normalisation would have been reported by now
                await Expect(page.GetByTestId("unsaved")).ToHaveCountAsync(0);

                // Japanese labels on the toolbar, the table group and the link dialog.
                await Expect(field.GetByTestId("richtext-bold")).ToHaveAttributeAsync("aria-label", "太字 (Ctrl+B)");
                await Expect(field.GetByTestId("richtext-image")).ToHaveAttributeAsync("aria-label", "メディアライブラリから画像を挿入");
                await Expect(page.GetByTestId("richtext-toolbar-ja-body")).ToHaveAttributeAsync("aria-label", "Body の書式");
                await Expect(field.GetByTestId("richtext-source-ja-body")).ToHaveAttributeAsync("aria-label", "HTMLソース");
                await editable.Locator("h2").ClickAsync();
                await page.Keyboard.PressAsync("Control+k");
                var linkDialog = page.GetByTestId("richtext-link-dialog");
                await Expect(linkDialog).ToContainTextAsync("リンク先 (URL)");
                await page.GetByTestId("richtext-link-cancel").ClickAsync();
                await Expect(linkDialog).ToHaveCountAsync(0);

                // The HTML source view shows the stored value; an edit there reaches the editor when switching back.
                await field.GetByTestId("richtext-source-ja-body").ClickAsync();
                var source = page.GetByTestId("html-ja-body");
                await Expect(source).ToHaveValueAsync(demo);
                await source.FillAsync("<h3>ソースから</h3><p>本文</p>");
                await source.BlurAsync();
                await field.GetByTestId("richtext-source-ja-body").ClickAsync();
                await Expect(editable.Locator("h3")).ToHaveTextAsync("ソースから");
                await Expect(page.GetByTestId("unsaved")).ToBeVisibleAsync();
                await page.GetByTestId("save-draft").ClickAsync();
                await Expect(page.GetByTestId("unsaved")).ToHaveCountAsync(0);
                var stored = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<IContentItemService>().FindAsync(item.Id));
                Assert.Equal("<h3>ソースから</h3><p>本文</p>", ContentValues.Parse(stored!.ValuesJa)["body"]);

                // Undo and redo from the keyboard.
                await editable.Locator("p").ClickAsync();
                await page.Keyboard.PressAsync("End");
                await page.Keyboard.TypeAsync("と追記");
                await Expect(editable.Locator("p")).ToHaveTextAsync("本文と追記");
                await page.Keyboard.PressAsync("Control+z");
                await Expect(editable.Locator("p")).ToHaveTextAsync("本文");
                await page.Keyboard.PressAsync("Control+y");
                await Expect(editable.Locator("p")).ToHaveTextAsync("本文と追記");

                // A long article (far beyond one 32 KB circuit message, so it goes in parts; two runs of emoji make sure
                // a part boundary falls inside one) replaces it by paste, and Save clicked at once saves all of it.
                var emoji = string.Concat(Enumerable.Repeat("🍵", 3000));
                var paragraphs = $"<p>{emoji}</p><p>x{emoji}</p>"
                    + string.Concat(Enumerable.Range(1, 800).Select(i => $"<p>第{i}段落：静岡の茶畑では、朝露が乾く前に一番茶を摘み取ります。</p>"));
                await page.Keyboard.PressAsync("Control+a");
                await PasteHtmlAsync(editable, "<h2>長い記事</h2>" + paragraphs);
                await Expect(editable.Locator("p")).ToHaveCountAsync(802);
                var versions = stored.VersionCount;
                await page.GetByTestId("save-draft").ClickAsync(); // leaving the text sends it, before the click arrives
                stored = await Eventually.GetAsync(
                    () => browser.App.WithScopeAsync(sp => sp.GetRequiredService<IContentItemService>().FindAsync(item.Id)),
                    i => i!.VersionCount > versions, "the draft is saved");
                await Expect(page.GetByTestId("unsaved")).ToHaveCountAsync(0);
                var longBody = ContentValues.Parse(stored!.ValuesJa)["body"]!;
                Assert.True(System.Text.Encoding.UTF8.GetByteCount(longBody) > 64 * 1024, $"only {longBody.Length} characters");
                Assert.Equal("<h2>長い記事</h2>\n" + paragraphs.Replace("</p><p>", "</p>\n<p>", StringComparison.Ordinal), longBody);
                Assert.Equal(longBody, await editable.EvaluateAsync<string>("async element => (await import('/js/richtext-editor.js')).serializeHtml(element.editor.getHTML())"));
                Assert.True(errors.Count == 0, "The page logged errors: " + string.Join(" | ", errors));
            }
            finally
            {
                await page.GotoAsync("/culture/set?culture=en&returnUrl=%2F");
            }
        });
}
