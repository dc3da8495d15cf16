using Bunit;
using Kuroco.Admin.Components.Pages.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Support;
using MudBlazor;

namespace Kuroco.Tests.Components.Content;

/// <summary>"Delete type" on the content types screen: asks first, deletes an unused type, explains a refusal in the user's language.</summary>
public sealed class ContentTypeDeleteTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string Api() => "k" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Deleting_an_unused_type_asks_first_and_removes_it_from_the_list()
    {
        var type = await factory.CreateTypeAsync(Api());
        await using var test = new ComponentTestContext(factory, "en");
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<ContentTypes>();
        page.WaitForAssertion(() => page.Find($"[data-testid=delete-type-{type.ApiId}]"), Wait);

        page.Find($"[data-testid=delete-type-{type.ApiId}]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"Delete the content type {type.Name} ({type.ApiId})?", dialogs.Markup, StringComparison.Ordinal), Wait);
        dialogs.Find("[data-testid=confirm-cancel]").Click();
        Assert.NotNull(await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)));

        page.Find($"[data-testid=delete-type-{type.ApiId}]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=confirm-ok]"), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=delete-type-{type.ApiId}]")), Wait);
        Assert.Null(await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)));
    }

    [Fact]
    public async Task A_type_with_items_is_kept_and_the_reason_is_shown_in_japanese()
    {
        var type = await factory.CreateTypeAsync(Api());
        await factory.CreateItemAsync(type, "keep-me", "Keep me");
        await using var test = new ComponentTestContext(factory, "ja");
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<ContentTypes>();
        page.WaitForAssertion(() => page.Find($"[data-testid=delete-type-{type.ApiId}]"), Wait);

        page.Find($"[data-testid=delete-type-{type.ApiId}]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("を削除しますか", dialogs.Markup, StringComparison.Ordinal), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        page.WaitForAssertion(() => Assert.Contains("1 件のアイテム", page.Find("[data-testid=type-delete-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotNull(await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)));
    }
}
