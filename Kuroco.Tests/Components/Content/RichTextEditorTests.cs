using System.Text.Json;
using Bunit;
using Kuroco.Admin.Components.Pages.Content.Components;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Kuroco.Tests.Components.Content;

/// <summary>
/// The rich-text editor's Blazor side: localized toolbar and labels handed to the JS module, changes in both
/// directions (numbered, sanitized on the way in), the HTML source view, the link dialog and disposal.
/// The editor itself runs in RichTextEditorBrowserTests.
/// </summary>
public sealed class RichTextEditorTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private const string Module = "./js/richtext-editor.js";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    // The app's services (its HtmlSanitizer configuration among them) behind bunit's.
    private ComponentTestContext Open(string culture = "en") => new(factory, culture);

    private static JsonElement CreateOptions(BunitJSModuleInterop module) =>
        JsonSerializer.SerializeToElement(module.Invocations.Single(i => i.Identifier == "create").Arguments[3]);

    [Theory]
    [InlineData("en", "Formatting of Body", "Bold (Ctrl+B)", "Image from the media library", "Add a row below", "HTML source", "Write here…")]
    [InlineData("ja-JP", "Body の書式", "太字 (Ctrl+B)", "メディアライブラリから画像を挿入", "下に行を追加", "HTMLソース", "ここに入力…")]
    public async Task The_toolbar_is_labelled_in_the_users_language_and_the_module_gets_the_field_and_its_sanitized_value(
        string culture, string toolbarLabel, string bold, string image, string addRow, string source, string placeholder)
    {
        await using var test = Open(culture);
        var module = test.Context.JSInterop.SetupModule(Module);

        var editor = test.Context.Render<RichTextEditor>(p => p
            .Add(e => e.Label, "Body").Add(e => e.Required, true).Add(e => e.Language, "ja").Add(e => e.TestId, "ja-body")
            .Add(e => e.Value, "<p>本文</p><script>alert(1)</script><img src=x onerror=alert(2)>"));

        var toolbar = editor.Find("[role=toolbar]");
        Assert.Equal(toolbarLabel, toolbar.GetAttribute("aria-label"));
        Assert.Equal(bold, editor.Find("[data-testid=richtext-bold]").GetAttribute("aria-label"));
        Assert.Equal(bold, editor.Find("[data-testid=richtext-bold]").GetAttribute("title"));
        Assert.Equal("false", editor.Find("[data-testid=richtext-bold]").GetAttribute("aria-pressed")); // a toggle
        Assert.Null(editor.Find("[data-testid=richtext-undo]").GetAttribute("aria-pressed")); // an action
        Assert.Equal(image, editor.Find("[data-testid=richtext-image]").GetAttribute("aria-label"));
        Assert.Equal(addRow, editor.Find("[data-testid=richtext-addRow]").GetAttribute("aria-label"));
        Assert.True(editor.Find("[data-group=table]").HasAttribute("hidden")); // shown by the module inside a table
        Assert.Equal(source, editor.Find("[data-testid=richtext-source-ja-body]").GetAttribute("aria-label"));
        Assert.Contains("Body *", editor.Markup, StringComparison.Ordinal);
        Assert.All(editor.FindAll("[role=toolbar] button"), b => Assert.False(string.IsNullOrEmpty(b.GetAttribute("aria-label"))));

        editor.WaitForAssertion(() => Assert.Single(module.Invocations, i => i.Identifier == "create"), Wait);
        var options = CreateOptions(module);
        Assert.Equal("Body", options.GetProperty("label").GetString());
        Assert.Equal("ja", options.GetProperty("lang").GetString());
        Assert.Equal(placeholder, options.GetProperty("placeholder").GetString());
        Assert.Equal("value-ja-body", options.GetProperty("testId").GetString());
        Assert.True(options.GetProperty("required").GetBoolean());
        Assert.Equal(toolbar.GetAttribute("aria-controls"), options.GetProperty("editorId").GetString());
        Assert.Equal("<p>本文</p><img src=\"x\">", options.GetProperty("html").GetString());
    }

    [Fact]
    public async Task Changes_flow_both_ways_without_echoes_and_the_editor_is_disposed_with_the_component()
    {
        await using var test = Open();
        var module = test.Context.JSInterop.SetupModule(Module);
        var instance = module.SetupModule(i => i.Identifier == "create");
        var reported = new List<string?>();
        var editor = test.Context.Render<RichTextEditor>(p => p
            .Add(e => e.Label, "Body").Add(e => e.TestId, "en-body").Add(e => e.Language, "en").Add(e => e.Value, "<p>a</p>")
            .Add(e => e.ValueChanged, EventCallback.Factory.Create<string?>(this, reported.Add)));
        editor.WaitForAssertion(() => Assert.Single(module.Invocations, i => i.Identifier == "create"), Wait);

        // From the editor: the newest numbered change wins, an empty document is no value.
        await editor.InvokeAsync(() => editor.Instance.OnChangedAsync(2, "<p>b</p>"));
        await editor.InvokeAsync(() => editor.Instance.OnChangedAsync(1, "<p>older, arrived late</p>"));
        Assert.Equal(["<p>b</p>"], reported);
        // The parent passes the value back: no echo to the editor.
        editor.Render(p => p.Add(e => e.Value, "<p>b</p>"));
        Assert.DoesNotContain(instance.Invocations, i => i.Identifier == "setContent");
        await editor.InvokeAsync(() => editor.Instance.OnChangedAsync(3, ""));
        Assert.Null(reported[^1]);
        // A large document comes in parts; parts of an older change mixed in are dropped.
        await editor.InvokeAsync(() => editor.Instance.OnChangedPartAsync(5, 0, 3, "<p>lo"));
        await editor.InvokeAsync(() => editor.Instance.OnChangedPartAsync(4, 1, 2, "stale"));
        await editor.InvokeAsync(() => editor.Instance.OnChangedPartAsync(5, 1, 3, "ng</p>"));
        Assert.Null(reported[^1]);
        await editor.InvokeAsync(() => editor.Instance.OnChangedPartAsync(5, 2, 3, "<p>end</p>"));
        Assert.Equal("<p>long</p><p>end</p>", reported[^1]);
        editor.Render(p => p.Add(e => e.Value, "<p>long</p><p>end</p>"));

        // From outside (a reload after saving): shown in the editor, sanitized.
        editor.Render(p => p.Add(e => e.Value, "<p>c</p><img src=x onerror=alert(1)>"));
        var set = Assert.Single(instance.Invocations, i => i.Identifier == "setContent");
        Assert.Equal("<p>c</p><img src=\"x\">", set.Arguments[0]);

        // An error on the field reaches the editing area (aria-invalid).
        editor.Render(p => p.Add(e => e.Error, true).Add(e => e.ErrorText, "Body is required."));
        var update = Assert.Single(instance.Invocations, i => i.Identifier == "update");
        Assert.True(JsonSerializer.SerializeToElement(update.Arguments[0]).GetProperty("invalid").GetBoolean());
        Assert.Contains("Body is required.", editor.Markup, StringComparison.Ordinal);

        // The HTML source view: typed HTML is the value; switching back shows it in the editor.
        editor.Find("[data-testid=richtext-source-en-body]").Click();
        Assert.Equal("true", editor.Find("[data-testid=richtext-source-en-body]").GetAttribute("aria-pressed"));
        Assert.True(editor.Find(".kuroco-richtext-surface").HasAttribute("hidden"));
        Assert.Single(instance.Invocations, i => i.Identifier == "setSourceMode" && (bool)i.Arguments[0]!);
        editor.Find("[data-testid=html-en-body]").Change("<h3>typed</h3>");
        Assert.Equal("<h3>typed</h3>", reported[^1]);
        editor.Render(p => p.Add(e => e.Value, "<h3>typed</h3>"));
        editor.Find("[data-testid=richtext-source-en-body]").Click();
        Assert.Equal("<h3>typed</h3>", instance.Invocations.Last(i => i.Identifier == "setContent").Arguments[0]);
        Assert.Single(instance.Invocations, i => i.Identifier == "setSourceMode" && !(bool)i.Arguments[0]!);

        await test.Context.DisposeComponentsAsync();
        Assert.Single(instance.Invocations, i => i.Identifier == "dispose");
    }

    [Fact]
    public async Task The_link_dialog_is_japanese_refuses_a_script_address_and_returns_a_safe_one_or_a_removal()
    {
        await using var test = Open("ja-JP");
        test.Context.JSInterop.SetupModule(Module);
        var dialogs = test.Context.Render<MudDialogProvider>();
        var editor = test.Context.Render<RichTextEditor>(p => p.Add(e => e.Label, "本文").Add(e => e.TestId, "ja-body"));

        var asked = editor.InvokeAsync(() => editor.Instance.EditLinkAsync("", askText: true));
        dialogs.WaitForAssertion(() => Assert.Contains("リンク先 (URL)", dialogs.Markup, StringComparison.Ordinal), Wait);
        Assert.Contains("表示するテキスト", dialogs.Markup, StringComparison.Ordinal);
        Assert.Empty(dialogs.FindAll("[data-testid=richtext-link-remove]")); // nothing to remove on a new link
        dialogs.Find("input[data-testid=richtext-link-href]").Input("javascript:alert(1)");
        dialogs.Find("[data-testid=richtext-link-apply]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("https://、http://、mailto: または / で始まるリンク先", dialogs.Markup, StringComparison.Ordinal), Wait);
        Assert.False(asked.IsCompleted);
        dialogs.Find("input[data-testid=richtext-link-href]").Input(" https://example.com/tea ");
        dialogs.Find("input[data-testid=richtext-link-text]").Input("お茶");
        dialogs.Find("input[data-testid=richtext-link-text]").KeyDown(Key.Enter); // Enter applies, like the button
        Assert.Equal(new RichTextLink("https://example.com/tea", "お茶"), await asked.WaitAsync(Wait));

        var existing = editor.InvokeAsync(() => editor.Instance.EditLinkAsync("/about", askText: false));
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=richtext-link-remove]").Click(), Wait);
        Assert.Equal(new RichTextLink("", null), await existing.WaitAsync(Wait));

        var cancelled = editor.InvokeAsync(() => editor.Instance.EditLinkAsync("/about", askText: false));
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=richtext-link-cancel]").Click(), Wait);
        Assert.Null(await cancelled.WaitAsync(Wait));
    }

    [Theory]
    [InlineData("https://example.com/a?b=1#c", true)]
    [InlineData("HTTP://EXAMPLE.COM", true)]
    [InlineData("mailto:press@example.com", true)]
    [InlineData("/about/team", true)]
    [InlineData("/", true)]
    [InlineData("./next", true)]
    [InlineData("../up", true)]
    [InlineData("#section", true)]
    [InlineData("?page=2", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" JavaScript:alert(1)", false)]
    [InlineData("data:text/html,<script>alert(1)</script>", false)]
    [InlineData("vbscript:msgbox", false)]
    [InlineData("//evil.example/x", false)]
    [InlineData("https://", false)]
    [InlineData("example.com", false)]
    [InlineData("ftp://example.com", false)]
    [InlineData("https://exa mple.com", false)]
    [InlineData("/a\nb", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Links_may_be_http_https_mailto_or_a_path_on_the_site(string? href, bool allowed) =>
        Assert.Equal(allowed, RichTextLinks.IsAllowed(href));

    [Theory]
    [InlineData("ja", "港の船", "Ships", "港の船")]
    [InlineData("en", "港の船", "Ships", "Ships")]
    [InlineData("en", "港の船", null, "港の船")]
    [InlineData("ja", " ", "Ships", "Ships")]
    [InlineData("ja", null, null, "")]
    public void An_inserted_image_gets_the_alt_text_of_the_items_language_else_the_other(string language, string? ja, string? en, string expected) =>
        Assert.Equal(expected, RichTextEditor.AltText(new MediaItem { AltTextJa = ja, AltTextEn = en }, language));
}
