using Bunit;
using Kuroco.Admin.Components.Pages.Content;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Members;

/// <summary>
/// The "Members only" section of the type and item editors, and the lock shown in the item list, against the real app and database:
/// an editor restricts a type, an item overrides it with its own groups, and the list shows who may read each item.
/// </summary>
public sealed class MemberContentAccessEditorTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string Api() => "m" + Guid.NewGuid().ToString("N")[..10];

    private ComponentTestContext Open(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        return test;
    }

    private Task<MemberGroup> GroupAsync(string ja, string en) => factory.WithScopeAsync(async sp =>
    {
        var group = new MemberGroup { Id = Guid.NewGuid(), NameJa = ja, NameEn = en, CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.MemberGroups.Add(group);
        await db.SaveChangesAsync();
        return group;
    });

    private static void Tick<T>(IRenderedComponent<T> editor, MemberGroup group, bool on) where T : Microsoft.AspNetCore.Components.IComponent =>
        editor.Find($"input[data-testid=members-only-group-{group.Id:N}], [data-testid=members-only-group-{group.Id:N}] input").Change(on);

    private async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 100 && !done(value); i++)
        {
            await Task.Delay(50);
            value = await read();
        }
        return value;
    }

    [Fact]
    public async Task An_editor_restricts_a_type_to_a_group_and_it_is_saved_audited_and_shown_as_members_only()
    {
        var premium = await GroupAsync("プレミアム会員" + Api(), "Premium " + Api());
        var type = await factory.CreateTypeAsync(Api());
        await using var test = Open();
        var editor = test.Context.Render<ContentTypeEditor>(p => p.Add(e => e.Id, type.Id));
        editor.WaitForAssertion(() => Assert.Contains("Public: the type's published items",
            editor.Find("[data-testid=members-only-summary]").TextContent, StringComparison.Ordinal), Wait);

        Tick(editor, premium, true);
        editor.WaitForAssertion(() => Assert.Contains($"Only signed-in members of {premium.NameEn} read this type's items",
            editor.Find("[data-testid=members-only-summary]").TextContent, StringComparison.Ordinal), Wait);
        editor.Find("[data-testid=save-type]").Click();

        var stored = await EventuallyAsync(() => factory.WithContentAsync((types, _) => types.FindAsync(type.Id)), t => t?.RestrictedToGroups.Count > 0);
        Assert.Equal([premium.Id], stored!.RestrictedToGroups);
        var audit = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.ContentTypeUpdated && e.EntityId == type.Id.ToString());
        var change = System.Text.Json.JsonDocument.Parse(audit.Changes!).RootElement.EnumerateArray().Single(c => c.GetProperty("Field").GetString() == "Members only");
        Assert.Equal("public", change.GetProperty("Before").GetString());
        Assert.Equal("members of " + premium.NameJa + " / " + premium.NameEn, change.GetProperty("After").GetString());
    }

    [Fact]
    public async Task An_items_own_groups_replace_its_types_and_the_list_marks_each_members_only_item_in_japanese()
    {
        var premium = await GroupAsync("プレミアム会員" + Api(), "Premium " + Api());
        var regular = await GroupAsync("一般会員" + Api(), "Regular " + Api());
        var type = await factory.CreateTypeAsync(Api());
        type.RestrictedToGroups = [premium.Id];
        Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(type))).Succeeded);
        var item = await factory.CreateItemAsync(type, "members-item", "Members item");
        var open = await factory.CreateItemAsync(type, "as-type", "As type");
        await using (var test = Open())
        {
            var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
            editor.WaitForAssertion(() => Assert.Contains($"As the type: only signed-in members of {premium.NameEn} read this item.",
                editor.Find("[data-testid=members-only-summary]").TextContent, StringComparison.Ordinal), Wait);
            Assert.NotEmpty(editor.FindAll("[data-testid=item-members-only]"));

            Tick(editor, regular, true);
            editor.WaitForAssertion(() => Assert.Contains($"Only signed-in members of {regular.NameEn} read this item (instead of the type's groups).",
                editor.Find("[data-testid=members-only-summary]").TextContent, StringComparison.Ordinal), Wait);
            editor.WaitForAssertion(() => editor.Find("[data-testid=unsaved]"), Wait);
            editor.Find("[data-testid=save-draft]").Click();
            editor.WaitForAssertion(() => Assert.Empty(editor.FindAll("[data-testid=unsaved]")), Wait);
        }

        var stored = await factory.WithContentAsync((_, items) => items.FindAsync(item.Id));
        Assert.Equal([regular.Id], stored!.RestrictedToGroups);
        // Only who may read it changed: no new version of the content.
        Assert.Equal(item.VersionCount, stored.VersionCount);

        await using var japanese = Open("ja");
        var list = japanese.Context.Render<ContentItems>(p => p.Add(l => l.TypeApiId, type.ApiId));
        list.WaitForAssertion(() =>
        {
            Assert.Contains("会員限定", list.Find("[data-testid=item-lock-members-item]").TextContent, StringComparison.Ordinal);
            Assert.Contains("会員限定", list.Find("[data-testid=item-lock-as-type]").TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.NotNull(open);
    }

    [Fact]
    public async Task Unticking_every_group_of_an_item_makes_it_follow_its_public_type_and_the_list_shows_no_lock()
    {
        var premium = await GroupAsync("プレミアム会員" + Api(), "Premium " + Api());
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "was-locked", "Was locked");
        var input = new ContentItemInput { Id = item.Id, TypeId = type.Id, Slug = item.Slug, ConcurrencyToken = item.ConcurrencyToken, RestrictedToGroups = [premium.Id] };
        input.Ja["title"] = "Was locked";
        Assert.True((await factory.WithContentAsync((_, items) => items.SaveDraftAsync(input))).Succeeded);
        await using (var test = Open("ja"))
        {
            var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
            editor.WaitForAssertion(() => Assert.Contains("会員限定", editor.Find("[data-testid=members-only]").TextContent, StringComparison.Ordinal), Wait);

            Tick(editor, premium, false);
            editor.WaitForAssertion(() => Assert.Contains("タイプの設定どおり：公開。",
                editor.Find("[data-testid=members-only-summary]").TextContent, StringComparison.Ordinal), Wait);
            editor.Find("[data-testid=save-draft]").Click();
            editor.WaitForAssertion(() => Assert.Empty(editor.FindAll("[data-testid=unsaved]")), Wait);
        }

        Assert.Empty((await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)))!.RestrictedToGroups);
        await using var again = Open();
        var list = again.Context.Render<ContentItems>(p => p.Add(l => l.TypeApiId, type.ApiId));
        list.WaitForAssertion(() => list.Find("[data-testid=item-was-locked]"), Wait);
        Assert.Empty(list.FindAll("[data-testid=item-lock-was-locked]"));
    }
}
