using Bunit;
using Kuroco.Admin.Components.Pages.Content;
using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Kuroco.Tests.Components.Content;

/// <summary>The content screens against the real app and database.</summary>
public sealed class ContentEditorTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string Api() => "c" + Guid.NewGuid().ToString("N")[..10];

    private ComponentTestContext Open(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        return test;
    }

    [Fact]
    public async Task Saving_a_draft_in_the_editor_stores_both_languages_and_a_version()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "editor-save", "Before");
        await using var test = Open();
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-ja-title]"), Wait);

        editor.Find("[data-testid=value-ja-title]").Input("After");
        editor.FindAll(".mud-tab")[1].Click(); // English
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-en-title]"), Wait);
        editor.Find("[data-testid=value-en-title]").Input("English title");
        editor.WaitForAssertion(() => editor.Find("[data-testid=unsaved]"), Wait);
        editor.Find("[data-testid=save-draft]").Click();

        editor.WaitForAssertion(() => Assert.Empty(editor.FindAll("[data-testid=unsaved]")), Wait);
        var stored = await factory.WithContentAsync((_, items) => items.FindAsync(item.Id));
        Assert.Equal("After", ContentValues.Parse(stored!.ValuesJa)["title"]);
        Assert.Equal("English title", ContentValues.Parse(stored.ValuesEn)["title"]);
        Assert.True(stored.HasEn);
        Assert.Equal(2, stored.VersionCount);
    }

    [Fact]
    public async Task A_stale_save_shows_who_saved_first_and_keeps_their_values()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "editor-conflict", "Original");
        await using var test = Open();
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-ja-title]"), Wait);

        // Another editor saves first.
        var other = new ContentItemInput { Id = item.Id, TypeId = type.Id, Slug = item.Slug, ConcurrencyToken = item.ConcurrencyToken };
        other.Ja["title"] = "Saved elsewhere";
        Assert.True((await factory.WithContentAsync((_, items) => items.SaveDraftAsync(other))).Succeeded);

        editor.Find("[data-testid=value-ja-title]").Input("Mine");
        editor.Find("[data-testid=save-draft]").Click();

        editor.WaitForAssertion(() => Assert.Contains("saved this item at", editor.Find("[data-testid=item-errors]").TextContent), Wait);
        Assert.NotEmpty(editor.FindAll("[data-testid=reload]"));
        var stored = await factory.WithContentAsync((_, items) => items.FindAsync(item.Id));
        Assert.Equal("Saved elsewhere", ContentValues.Parse(stored!.ValuesJa)["title"]);
    }

    [Fact]
    public async Task Invalid_values_are_shown_next_to_their_field_and_nothing_is_saved()
    {
        var type = await factory.CreateTypeAsync(Api());
        await using var test = Open();
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.TypeApiId, type.ApiId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=item-slug]"), Wait);

        editor.Find("[data-testid=item-slug]").Input("Not A Slug");
        editor.Find("[data-testid=value-ja-price]").Input("-3");
        editor.Find("[data-testid=save-draft]").Click();

        // Each error once, next to its field; the alert only names the fields.
        editor.WaitForAssertion(() => Assert.Equal("Not saved. Check the marked fields: Slug, Title (Japanese), Price (Japanese).",
            editor.Find("[data-testid=item-errors]").TextContent.Trim()), Wait);
        Assert.Contains("The slug must be", editor.Find("[data-testid=item-slug]").Closest(".mud-input-control")!.TextContent);
        Assert.Contains("Title (Japanese): a value is required.", editor.Find("[data-testid=input-ja-title]").TextContent);
        Assert.Contains("Price (Japanese): must be at least 0.", editor.Find("[data-testid=input-ja-price]").TextContent);
        var list = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)));
        Assert.Equal(0, list.TotalCount);
    }

    [Fact]
    public async Task Publishing_from_the_editor_makes_the_item_published()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "editor-publish", "Go live");
        await using var test = new ComponentTestContext(factory);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=publish]"), Wait);

        editor.Find("[data-testid=publish]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Publish “Go live” in Japanese?", dialogs.Markup), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        editor.WaitForAssertion(() => Assert.Contains("Published", editor.Find("[data-testid=status-chip]").TextContent), Wait);
        Assert.Equal(ContentStatus.Published, (await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)))!.Status);
    }

    [Fact]
    public async Task Script_in_plain_text_is_encoded_and_in_rich_text_removed_before_the_editor_gets_it()
    {
        await using var test = Open();
        const string payload = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        var shortText = test.Context.Render<ContentFieldInput>(p => p
            .Add(f => f.Field, new FieldDefinition { Key = "t", LabelEn = "T", Kind = FieldKind.ShortText })
            .Add(f => f.Language, "ja").Add(f => f.Value, payload));
        // Encoded: the payload is only an attribute value, never an element.
        Assert.Empty(shortText.FindAll("script"));
        Assert.Empty(shortText.FindAll("img"));

        // Rich text goes to the browser's editor sanitized (the editor's schema would drop it too).
        var module = test.Context.JSInterop.SetupModule("./js/richtext-editor.js");
        var rich = test.Context.Render<ContentFieldInput>(p => p
            .Add(f => f.Field, new FieldDefinition { Key = "b", LabelEn = "B", Kind = FieldKind.RichText })
            .Add(f => f.Language, "ja").Add(f => f.Value, "<p>ok</p>" + payload + "<a href=\"javascript:alert(2)\">l</a>"));
        rich.WaitForAssertion(() => Assert.Single(module.Invocations, i => i.Identifier == "create"), Wait);
        var create = module.Invocations.Single(i => i.Identifier == "create");
        var sent = System.Text.Json.JsonSerializer.SerializeToElement(create.Arguments[3]).GetProperty("html").GetString();
        Assert.Contains("<p>ok</p>", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("script", sent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", sent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", sent, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(rich.FindAll("script"));
    }

    [Theory]
    [InlineData(FieldKind.ShortText)]
    [InlineData(FieldKind.LongText)]
    [InlineData(FieldKind.RichText)]
    [InlineData(FieldKind.Markdown)]
    [InlineData(FieldKind.Number)]
    [InlineData(FieldKind.Boolean)]
    [InlineData(FieldKind.DateTime)]
    [InlineData(FieldKind.SingleChoice)]
    [InlineData(FieldKind.MultipleChoice)]
    [InlineData(FieldKind.Media)]
    [InlineData(FieldKind.Reference)]
    [InlineData(FieldKind.Tags)]
    public async Task Every_field_kind_has_an_input_and_reports_changes(FieldKind kind)
    {
        await using var test = Open();
        string? changed = null;
        var input = test.Context.Render<ContentFieldInput>(p => p
            .Add(f => f.Field, new FieldDefinition { Key = "k", LabelEn = "Label of k", Kind = kind, Choices = ["a", "b"], ReferenceTypeApiId = "news" })
            .Add(f => f.Language, "en")
            .Add(f => f.ValueChanged, EventCallback.Factory.Create<string?>(this, v => changed = v))
            .Add(f => f.Errors, ["Label of k: broken."]));

        Assert.Contains("Label of k", input.Markup);
        if (kind is FieldKind.Boolean)
        {
            input.Find("input[type=checkbox]").Change(true);
            Assert.Equal("true", changed);
        }
        else if (kind is FieldKind.Media)
        {
            // The library's picker chooses the item; the field stores its id.
            var picker = input.FindComponent<Kuroco.Admin.Components.Pages.Media.MediaPicker>();
            Assert.Contains("data-testid=\"media-picker-choose\"", input.Markup);
            var chosen = Guid.Parse("0b5f5d3c-8c4e-4b8f-9a66-1f0b0c7d2a11");
            await input.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(chosen));
            input.WaitForAssertion(() => Assert.Equal(chosen.ToString(), changed), Wait);
            Assert.Contains("Label of k: broken.", input.Markup);
        }
        else if (kind is FieldKind.RichText)
        {
            // The browser's editor reports its HTML through the component (numbered changes).
            var editor = input.FindComponent<Kuroco.Admin.Components.Pages.Content.Components.RichTextEditor>();
            await input.InvokeAsync(() => editor.Instance.OnChangedAsync(1, "<p>hello</p>"));
            input.WaitForAssertion(() => Assert.Equal("<p>hello</p>", changed), Wait);
            Assert.Contains("Label of k: broken.", input.Markup);
        }
        else if (kind is not (FieldKind.SingleChoice or FieldKind.MultipleChoice))
        {
            var element = input.Find("[data-testid=value-en-k]");
            var value = kind switch
            {
                FieldKind.Number => "12.5",
                FieldKind.DateTime => "2026-12-01T09:30",
                FieldKind.Reference => "0b5f5d3c-8c4e-4b8f-9a66-1f0b0c7d2a11",
                FieldKind.Tags => "news, tokyo",
                _ => "hello",
            };
            if (kind is FieldKind.DateTime or FieldKind.Tags)
            {
                element.Change(value);
            }
            else
            {
                element.Input(value);
            }
            var expected = kind switch
            {
                FieldKind.DateTime => "2026-12-01T00:30:00.0000000Z", // typed in the user's zone (Asia/Tokyo, UTC+9), stored in UTC
                FieldKind.Tags => "news\ntokyo",
                _ => value,
            };
            input.WaitForAssertion(() => Assert.Equal(expected, changed), Wait);
            Assert.Contains("Label of k: broken.", input.Markup);
        }
    }

    [Fact]
    public async Task A_markdown_preview_shows_rendered_safe_html()
    {
        await using var test = Open();
        var input = test.Context.Render<ContentFieldInput>(p => p
            .Add(f => f.Field, new FieldDefinition { Key = "notes", LabelEn = "Notes", Kind = FieldKind.Markdown })
            .Add(f => f.Language, "ja")
            .Add(f => f.Value, "**bold** <script>alert(1)</script>"));

        input.Find("input[type=checkbox]").Change(true);

        input.WaitForAssertion(() =>
        {
            var preview = input.Find("[data-testid=preview-ja-notes]");
            Assert.Contains("<strong>bold</strong>", preview.InnerHtml, StringComparison.Ordinal);
            Assert.Empty(preview.QuerySelectorAll("script"));
        }, Wait);
    }

    [Fact]
    public async Task A_stored_date_is_shown_in_the_users_time_zone()
    {
        await using var test = Open();
        var input = test.Context.Render<ContentFieldInput>(p => p
            .Add(f => f.Field, new FieldDefinition { Key = "when", LabelEn = "When", Kind = FieldKind.DateTime })
            .Add(f => f.Language, "ja")
            .Add(f => f.Value, "2026-12-01T00:30:00.0000000Z"));

        input.WaitForAssertion(() => Assert.Equal("2026-12-01T09:30", input.Find("[data-testid=value-ja-when]").GetAttribute("value")), Wait);
    }

    [Fact]
    public async Task The_type_editor_creates_a_type_and_refuses_an_invalid_api_identifier()
    {
        var apiId = Api();
        await using var test = Open();
        var editor = test.Context.Render<ContentTypeEditor>();
        editor.WaitForAssertion(() => editor.Find("[data-testid=type-name]"), Wait);

        editor.Find("[data-testid=type-name]").Input("Press releases");
        editor.Find("[data-testid=type-api-id]").Input("Bad Id");
        editor.Find("[data-testid=save-type]").Click();
        editor.WaitForAssertion(() => Assert.Contains("The API identifier must start", editor.Find("[data-testid=type-errors]").TextContent), Wait);
        Assert.Null(await factory.WithContentAsync((types, _) => types.FindByApiIdAsync("Bad Id")));

        editor.Find("[data-testid=type-api-id]").Input(apiId);
        editor.Find("[data-testid=add-field]").Click();
        editor.WaitForAssertion(() => editor.Find("[data-testid=field-key-1]"), Wait);
        editor.Find("[data-testid=field-key-1]").Input("body");
        editor.Find("[data-testid=field-label-1]").Input("Body");
        editor.Find("[data-testid=save-type]").Click();

        var saved = await WaitForTypeAsync(apiId);
        Assert.Equal("Press releases", saved.Name);
        Assert.Equal(["title", "body"], saved.Fields.Select(f => f.Key));
        Assert.True(saved.Fields[0].Required);
    }

    [Fact]
    public async Task The_items_list_shows_items_of_the_type_and_filters_by_status()
    {
        var type = await factory.CreateTypeAsync(Api());
        var draft = await factory.CreateItemAsync(type, "list-draft", "A draft");
        var live = await factory.CreateItemAsync(type, "list-live", "A live one");
        await factory.WithPublishingAsync(p => p.PublishAsync(new(live.Id)));
        await using var test = Open("ja");
        var list = test.Context.Render<ContentItems>(p => p.Add(l => l.TypeApiId, type.ApiId));

        list.WaitForAssertion(() =>
        {
            Assert.Contains("A draft", list.Markup);
            Assert.Contains("A live one", list.Markup);
            Assert.Contains("公開中", list.Markup);
            Assert.Contains("下書き", list.Markup);
        }, Wait);
        Assert.NotNull(draft);
    }

    private async Task<ContentType> WaitForTypeAsync(string apiId)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await factory.WithContentAsync((types, _) => types.FindByApiIdAsync(apiId)) is { } type)
            {
                return type;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Type {apiId} was not saved.");
    }
}
