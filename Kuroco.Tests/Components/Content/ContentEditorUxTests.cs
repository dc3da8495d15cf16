using Bunit;
using Kuroco.Admin.Components.Layout;
using Kuroco.Admin.Components.Pages.Content;
using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Content;

/// <summary>
/// What editors tripped over: required markers, the slug that fills itself, the publish confirmation naming the
/// languages, one message for a refused publish, both field labels, and the content types in the drawer.
/// </summary>
public sealed class ContentEditorUxTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string Api() => "u" + Guid.NewGuid().ToString("N")[..10];

    private (ComponentTestContext Test, IRenderedComponent<MudDialogProvider> Dialogs) Open(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        test.Auth.SetPolicies(AreaPolicies.Content);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        return (test, dialogs);
    }

    /// <summary>A type with a required title (English and Japanese labels), an optional summary and a number.</summary>
    private Task<ContentType> CreateTypeAsync(string apiId, string name = "Articles") => factory.WithContentAsync(async (types, _) =>
    {
        var result = await types.SaveAsync(new ContentType
        {
            Name = name,
            ApiId = apiId,
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", LabelJa = "タイトル", Kind = FieldKind.ShortText, Required = true },
                new FieldDefinition { Key = "summary", LabelJa = "概要", Kind = FieldKind.LongText },
                new FieldDefinition { Key = "price", LabelEn = "Price", LabelJa = "価格", Kind = FieldKind.Number, MinValue = 0, Required = true },
            ],
        });
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.Value!;
    });

    /// <summary>The date slug prefix of today in the editor's zone (Asia/Tokyo), by the clock the page is given.</summary>
    private static string Today(ComponentTestContext test) => ContentSlugs.DatePrefix(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(
        test.Context.Services.GetRequiredService<TimeProvider>().GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime));

    private static bool IsMarkedRequired(IRenderedComponent<ContentItemEditor> editor, string testId) =>
        editor.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.ClassList.Contains("mud-input-required");

    [Fact]
    public async Task Required_inputs_carry_the_marker_in_the_primary_language_and_in_the_other_once_it_is_started()
    {
        var type = await CreateTypeAsync(Api());
        var (test, _) = Open();
        await using var _ = test;
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.TypeApiId, type.ApiId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-ja-title]"), Wait);

        Assert.True(IsMarkedRequired(editor, "item-slug"));
        Assert.True(IsMarkedRequired(editor, "value-ja-title"));
        Assert.True(IsMarkedRequired(editor, "value-ja-price"));
        Assert.False(IsMarkedRequired(editor, "value-ja-summary"));
        // English is optional while empty: no marker; once it has a value its required fields are marked too.
        editor.FindAll(".mud-tab")[1].Click();
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-en-title]"), Wait);
        Assert.False(IsMarkedRequired(editor, "value-en-title"));
        Assert.False(IsMarkedRequired(editor, "value-en-price"));
        editor.Find("[data-testid=value-en-summary]").Input("Started in English");
        editor.WaitForAssertion(() => Assert.True(IsMarkedRequired(editor, "value-en-title")), Wait);
        Assert.True(IsMarkedRequired(editor, "value-en-price"));
        Assert.False(IsMarkedRequired(editor, "value-en-summary"));
    }

    [Fact]
    public async Task The_type_editor_marks_every_required_input_and_a_label_only_while_the_other_is_empty()
    {
        var (test, _) = Open();
        await using var _ = test;
        var editor = test.Context.Render<ContentTypeEditor>();
        editor.WaitForAssertion(() => editor.Find("[data-testid=field-label-0]"), Wait);
        bool Marked(string testId) => editor.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.ClassList.Contains("mud-input-required");

        Assert.True(Marked("type-name"));
        Assert.True(Marked("type-api-id"));
        Assert.True(Marked("field-key-0"));
        Assert.True(Marked("field-kind-0"));
        // The default title field has both labels: either may go, so neither is marked.
        Assert.False(Marked("field-label-0"));
        Assert.False(Marked("field-label-ja-0"));
        editor.Find("[data-testid=field-label-ja-0]").Input("");
        editor.WaitForAssertion(() => Assert.True(Marked("field-label-0")), Wait);
        Assert.False(Marked("field-label-ja-0"));
    }

    [Fact]
    public async Task A_new_items_slug_follows_the_English_title_until_the_editor_types_one()
    {
        var type = await CreateTypeAsync(Api());
        var (test, _) = Open();
        await using var _ = test;
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.TypeApiId, type.ApiId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-ja-title]"), Wait);
        string Slug() => editor.Find("[data-testid=item-slug]").GetAttribute("value") ?? "";

        // Japanese only: the date in the editor's zone.
        editor.Find("[data-testid=value-ja-title]").Input("春のセール");
        editor.WaitForAssertion(() => Assert.Equal(Today(test) + "-1", Slug()), Wait);
        editor.FindAll(".mud-tab")[1].Click();
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-en-title]"), Wait);
        editor.Find("[data-testid=value-en-title]").Input("Spring Sale: 30% off!");
        editor.WaitForAssertion(() => Assert.Equal("spring-sale-30-off", Slug()), Wait);

        // Typed by hand: the title no longer changes it.
        editor.Find("[data-testid=item-slug]").Input("my-own-slug");
        editor.Find("[data-testid=value-en-title]").Input("Something else");
        editor.WaitForAssertion(() => Assert.Equal("my-own-slug", Slug()), Wait);
    }

    [Fact]
    public async Task A_date_slug_skips_the_numbers_other_items_use_and_an_existing_item_keeps_its_slug()
    {
        var type = await CreateTypeAsync(Api());
        var (test, _) = Open("ja");
        await using var _ = test;
        var today = Today(test);
        var existing = await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = today + "-1" };
            input.Ja["title"] = "既存";
            input.Ja["price"] = "1";
            return (await items.SaveDraftAsync(input)).Value!;
        });

        var created = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.TypeApiId, type.ApiId));
        created.WaitForAssertion(() => created.Find("[data-testid=value-ja-title]"), Wait);
        created.Find("[data-testid=value-ja-title]").Input("新しいお知らせ");
        created.WaitForAssertion(() => Assert.Equal(today + "-2", created.Find("[data-testid=item-slug]").GetAttribute("value")), Wait);

        var edited = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, existing.Id));
        edited.WaitForAssertion(() => edited.Find("[data-testid=value-ja-title]"), Wait);
        edited.FindAll(".mud-tab")[1].Click();
        edited.WaitForAssertion(() => edited.Find("[data-testid=value-en-title]"), Wait);
        edited.Find("[data-testid=value-en-title]").Input("An English title");
        edited.WaitForAssertion(() => Assert.NotEmpty(edited.FindAll("[data-testid=unsaved]")), Wait);
        Assert.Equal(today + "-1", edited.Find("[data-testid=item-slug]").GetAttribute("value"));
    }

    [Fact]
    public async Task Publishing_asks_first_naming_the_languages_with_values_and_a_cancel_changes_nothing()
    {
        var type = await CreateTypeAsync(Api());
        var item = await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = "both" };
            input.Ja["title"] = "両方";
            input.Ja["price"] = "5";
            input.En["title"] = "Both";
            input.En["price"] = "5";
            return (await items.SaveDraftAsync(input)).Value!;
        });
        var (test, dialogs) = Open();
        await using var _ = test;
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=publish]"), Wait);

        editor.Find("[data-testid=publish]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Publish “両方” in Japanese and English?", dialogs.Markup), Wait);
        dialogs.Find("[data-testid=confirm-cancel]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-dialog]")), Wait);
        Assert.Equal(ContentStatus.Draft, (await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)))!.Status);

        editor.Find("[data-testid=publish]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=confirm-ok]"), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();
        editor.WaitForAssertion(() => Assert.Contains("Published", editor.Find("[data-testid=status-chip]").TextContent), Wait);

        // Taking it down names the languages published now.
        editor.Find("[data-testid=unpublish]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Take “両方” down in Japanese and English?", dialogs.Markup), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();
        editor.WaitForAssertion(() => Assert.Contains("Draft", editor.Find("[data-testid=status-chip]").TextContent), Wait);
    }

    [Fact]
    public async Task The_Japanese_console_asks_in_Japanese_and_says_which_language_stays_unpublished()
    {
        var type = await CreateTypeAsync(Api());
        var item = await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = "ja-only" };
            input.Ja["title"] = "日本語だけ";
            input.Ja["price"] = "5";
            return (await items.SaveDraftAsync(input)).Value!;
        });
        var (test, dialogs) = Open("ja");
        await using var _ = test;
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=publish]"), Wait);

        editor.Find("[data-testid=publish]").Click();

        dialogs.WaitForAssertion(() =>
        {
            Assert.Contains("「日本語だけ」を日本語で公開しますか？", dialogs.Markup);
            Assert.Contains("英語は値がないため公開されません。", dialogs.Find("[data-testid=confirm-message]").TextContent);
        }, Wait);
    }

    [Fact]
    public async Task A_publish_whose_save_is_refused_shows_each_error_once_beside_its_field_with_one_summary()
    {
        var type = await CreateTypeAsync(Api());
        var item = await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = "refused" };
            input.Ja["title"] = "元";
            input.Ja["price"] = "5";
            return (await items.SaveDraftAsync(input)).Value!;
        });
        var (test, dialogs) = Open();
        await using var _ = test;
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-ja-price]"), Wait);

        editor.Find("[data-testid=value-ja-price]").Input("-3");
        editor.Find("[data-testid=publish]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=confirm-ok]"), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        editor.WaitForAssertion(() => Assert.Equal("Not published: the changes could not be saved. Check the marked fields: Price (Japanese).",
            editor.Find("[data-testid=item-errors]").TextContent.Trim()), Wait);
        const string error = "Price (Japanese): must be at least 0.";
        Assert.Contains(error, editor.Find("[data-testid=input-ja-price]").TextContent);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(editor.Markup, System.Text.RegularExpressions.Regex.Escape(error)));
        var stored = (await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)))!;
        Assert.Equal((ContentStatus.Draft, 1), (stored.Status, stored.VersionCount));
    }

    [Fact]
    public async Task The_editor_shows_the_labels_of_the_UI_language_and_falls_back_to_the_other()
    {
        var type = await CreateTypeAsync(Api());
        var (ja, _) = Open("ja");
        await using (ja)
        {
            var editor = ja.Context.Render<ContentItemEditor>(p => p.Add(e => e.TypeApiId, type.ApiId));
            editor.WaitForAssertion(() => Assert.Contains("タイトル", editor.Find("[data-testid=input-ja-title]").TextContent), Wait);
            Assert.Contains("価格", editor.Find("[data-testid=input-ja-price]").TextContent);
        }
        var (en, _) = Open("en");
        await using (en)
        {
            var editor = en.Context.Render<ContentItemEditor>(p => p.Add(e => e.TypeApiId, type.ApiId));
            editor.WaitForAssertion(() => Assert.Contains("Title", editor.Find("[data-testid=input-ja-title]").TextContent), Wait);
            // The summary has only a Japanese label: the English console shows it rather than nothing.
            Assert.Contains("概要", editor.Find("[data-testid=input-ja-summary]").TextContent);
        }
    }

    [Fact]
    public async Task The_history_diff_names_fields_by_the_UI_language_label()
    {
        var type = await CreateTypeAsync(Api());
        var item = await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = "history" };
            input.Ja["title"] = "一";
            input.Ja["price"] = "1";
            var first = (await items.SaveDraftAsync(input)).Value!;
            input.Id = first.Id;
            input.ConcurrencyToken = first.ConcurrencyToken;
            input.Ja["title"] = "二";
            input.En["summary"] = "Now in English";
            input.En["title"] = "Two";
            input.En["price"] = "1";
            return (await items.SaveDraftAsync(input)).Value!;
        });
        var (test, _) = Open("ja");
        await using var _ = test;

        var history = test.Context.Render<ContentHistory>(p => p.Add(h => h.Id, item.Id));

        history.WaitForAssertion(() =>
        {
            Assert.Contains("タイトル（日本語）", history.Markup);
            Assert.Contains("タイトル（英語）", history.Markup);
            Assert.Contains("概要（英語）", history.Markup);
        }, Wait);
    }

    [Fact]
    public async Task The_type_editor_saves_both_labels_and_then_offers_the_new_types_items()
    {
        var apiId = Api();
        var (test, _) = Open();
        await using var _ = test;
        var editor = test.Context.Render<ContentTypeEditor>();
        editor.WaitForAssertion(() => editor.Find("[data-testid=type-name]"), Wait);

        editor.Find("[data-testid=type-name]").Input("Events");
        editor.Find("[data-testid=type-api-id]").Input(apiId);
        editor.Find("[data-testid=field-label-0]").Input("Event name");
        editor.Find("[data-testid=field-label-ja-0]").Input("イベント名");
        editor.Find("[data-testid=save-type]").Click();

        var navigation = test.Context.Services.GetRequiredService<NavigationManager>();
        editor.WaitForAssertion(() => Assert.Contains("?created=true", navigation.Uri, StringComparison.Ordinal), Wait);
        var saved = (await factory.WithContentAsync((types, _) => types.FindByApiIdAsync(apiId)))!;
        Assert.Equal(("Event name", "イベント名"), (saved.Fields[0].LabelEn, saved.Fields[0].LabelJa));

        // The query the save navigated to (?created=true) makes the page offer the items.
        var created = test.Context.Render<ContentTypeEditor>(p => p.Add(e => e.Id, saved.Id));
        created.WaitForAssertion(() => Assert.Equal($"content/items/{apiId}", created.Find("[data-testid=type-go-to-items]").GetAttribute("href")), Wait);
    }

    [Fact]
    public async Task The_drawer_lists_every_type_and_follows_creation_renaming_and_deletion()
    {
        var type = await CreateTypeAsync(Api(), "Aardvark notes");
        var (test, _) = Open("ja");
        await using var _ = test;
        var menu = test.Context.Render<NavMenu>();

        menu.WaitForAssertion(() => Assert.Equal($"content/items/{type.ApiId}", menu.Find($"[data-testid=nav-type-{type.ApiId}]").GetAttribute("href")), Wait);
        Assert.Contains("Aardvark notes", menu.Find($"[data-testid=nav-type-{type.ApiId}]").TextContent);
        Assert.Contains("コンテンツタイプ", menu.Find("[data-testid=nav-content]").TextContent);
        Assert.Contains("ゴミ箱", menu.Find("[data-testid=nav-content]").TextContent);

        // Created, renamed and deleted through the service: the open drawer follows without being asked.
        var other = await CreateTypeAsync(Api(), "Zebra facts");
        menu.WaitForAssertion(() => Assert.Contains("Zebra facts", menu.Find($"[data-testid=nav-type-{other.ApiId}]").TextContent), Wait);
        var renamed = (await factory.WithContentAsync((types, _) => types.FindAsync(other.Id)))!;
        renamed.Name = "Zebra stories";
        Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(renamed))).Succeeded);
        menu.WaitForAssertion(() => Assert.Contains("Zebra stories", menu.Find($"[data-testid=nav-type-{other.ApiId}]").TextContent), Wait);
        Assert.True((await factory.WithContentAsync((types, _) => types.DeleteAsync(other.Id))).Succeeded);
        menu.WaitForAssertion(() => Assert.Empty(menu.FindAll($"[data-testid=nav-type-{other.ApiId}]")), Wait);
    }
}
