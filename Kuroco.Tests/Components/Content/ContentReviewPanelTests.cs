using Bunit;
using Kuroco.Admin.Components.Pages.Content;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Support;
using MudBlazor;

namespace Kuroco.Tests.Components.Content;

/// <summary>The review panel of the item editor: editors submit, reviewers approve, and the history shows it.</summary>
public sealed class ContentReviewPanelTests(ContentReviewTests.ReviewAppFactory factory) : IClassFixture<ContentReviewTests.ReviewAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_editor_submits_and_a_reviewer_approves_from_the_editor()
    {
        var type = await factory.CreateTypeAsync("p" + Guid.NewGuid().ToString("N")[..10]);
        type.RequiresApproval = true;
        type.ReviewerRole = StaffRoles.Administrator;
        Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(type))).Succeeded);
        factory.Actor.Current = new AuditActor("editor-id", "editor@test.local", [StaffRoles.ContentEditor]);
        var item = await factory.CreateItemAsync(type, "panel", "Panel");

        await using (var test = new ComponentTestContext(factory))
        {
            test.Context.Render<MudDialogProvider>();
            test.Context.Render<MudSnackbarProvider>();
            var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
            editor.WaitForAssertion(() => Assert.Contains("Not reviewed", editor.Find("[data-testid=review-state]").TextContent), Wait);
            editor.Find("[data-testid=review-panel] .mud-expand-panel-header").Click();
            editor.WaitForAssertion(() => editor.Find("[data-testid=submit-review]"), Wait);
            Assert.Empty(editor.FindAll("[data-testid=approve]"));
            editor.Find("[data-testid=submit-review]").Click();
            editor.WaitForAssertion(() => Assert.Contains("Waiting for review", editor.Find("[data-testid=review-state]").TextContent), Wait);
        }

        factory.Actor.Current = new AuditActor("admin-id", "admin@test.local", [StaffRoles.Administrator]);
        await using (var test = new ComponentTestContext(factory))
        {
            test.Context.Render<MudDialogProvider>();
            test.Context.Render<MudSnackbarProvider>();
            var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, item.Id));
            editor.WaitForAssertion(() => editor.Find("[data-testid=approve]"), Wait);
            editor.Find("[data-testid=review-comment]").Change("Fine");
            editor.Find("[data-testid=approve]").Click();
            editor.WaitForAssertion(() =>
            {
                Assert.Contains("Approved", editor.Find("[data-testid=review-state]").TextContent);
                Assert.Contains("Fine", editor.Find("[data-testid=review-history]").TextContent);
            }, Wait);
        }
        Assert.Equal(ReviewState.Approved, (await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)))!.ReviewState);
    }
}
