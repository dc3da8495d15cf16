using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Content;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

/// <summary>The approval workflow through the real services, acting as different staff.</summary>
public sealed class ContentReviewTests(ContentReviewTests.ReviewAppFactory factory) : IClassFixture<ContentReviewTests.ReviewAppFactory>
{
    public sealed class ReviewAppFactory : ContentAppFactory
    {
        public ReviewAppFactory()
        {
            var inner = TestServices;
            TestServices = services =>
            {
                inner?.Invoke(services);
                services.AddSingleton(Actor);
                services.AddScoped<IAuditContext>(sp => sp.GetRequiredService<ActingAs>());
            };
        }

        public ActingAs Actor { get; } = new();
    }

    /// <summary>Who the services see as the current user.</summary>
    public sealed class ActingAs : IAuditContext
    {
        public AuditActor Current { get; set; } = new("editor-id", "editor@test.local", [StaffRoles.ContentEditor]);

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Current);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }

    private static readonly AuditActor Editor = new("editor-id", "editor@test.local", [StaffRoles.ContentEditor]);
    private static readonly AuditActor NamedReviewer = new("reviewer-id", "Reviewer@Test.local", [StaffRoles.ContentEditor]);
    private static readonly AuditActor Admin = new("admin-id", "admin@test.local", [StaffRoles.Administrator]);

    private async Task<ContentType> ReviewedTypeAsync()
    {
        var type = await factory.CreateTypeAsync("r" + Guid.NewGuid().ToString("N")[..10]);
        type.RequiresApproval = true;
        type.ReviewerRole = StaffRoles.Administrator;
        type.ReviewerEmails = "reviewer@test.local";
        var saved = await factory.WithContentAsync((types, _) => types.SaveAsync(type));
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        return saved.Value!;
    }

    private Task<T> As<T>(AuditActor actor, Func<IServiceProvider, Task<T>> action)
    {
        factory.Actor.Current = actor;
        return factory.WithScopeAsync(action);
    }

    private static IContentReviewService Reviews(IServiceProvider sp) => sp.GetRequiredService<IContentReviewService>();

    private static IContentItemService Items(IServiceProvider sp) => sp.GetRequiredService<IContentItemService>();

    private static IContentPublishingService Publishing(IServiceProvider sp) => sp.GetRequiredService<IContentPublishingService>();

    [Fact]
    public async Task Only_approved_items_are_published_and_only_reviewers_approve()
    {
        using var culture = new CultureScope("en");
        var type = await ReviewedTypeAsync();
        factory.Actor.Current = Editor;
        var item = await factory.CreateItemAsync(type, "reviewed", "Needs review");

        var early = await As(Editor, sp => Publishing(sp).PublishAsync(new(item.Id)));
        Assert.Equal(["This type requires approval: submit the item for review and have it approved before publishing."], early.Errors);

        Assert.True((await As(Editor, sp => Reviews(sp).SubmitAsync(item.Id, "Please check"))).Succeeded);
        var selfApproval = await As(Editor, sp => Reviews(sp).ApproveAsync(item.Id, null));
        Assert.Equal(["Only the type's reviewers may approve or reject."], selfApproval.Errors);

        Assert.True((await As(NamedReviewer, sp => Reviews(sp).ApproveAsync(item.Id, "Looks good"))).Succeeded);
        var published = await As(Editor, sp => Publishing(sp).PublishAsync(new(item.Id, item.ConcurrencyToken)));
        Assert.True(published.Succeeded, string.Join(" ", published.Errors));

        var history = await As(Editor, sp => Reviews(sp).HistoryAsync(item.Id));
        Assert.Equal([ReviewAction.Approved, ReviewAction.Submitted], history.Select(h => h.Action));
        Assert.Equal("Looks good", history[0].Comment);
        Assert.Equal("Reviewer@Test.local", history[0].By);
        var approved = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.ContentReviewApproved && e.EntityId == item.Id.ToString());
        Assert.Matches($"^\"Needs review\" \\({type.ApiId}/reviewed\\) version \\d+ approved\\.$", AuditText.English(approved));
    }

    [Fact]
    public async Task A_rejection_needs_a_comment_and_a_save_after_approval_needs_a_new_review()
    {
        using var culture = new CultureScope("en");
        var type = await ReviewedTypeAsync();
        factory.Actor.Current = Editor;
        var item = await factory.CreateItemAsync(type, "rejected", "Draft");
        await As(Editor, sp => Reviews(sp).SubmitAsync(item.Id, null));

        Assert.Equal(["Say why the item is rejected."], (await As(Admin, sp => Reviews(sp).RejectAsync(item.Id, " "))).Errors);
        Assert.True((await As(Admin, sp => Reviews(sp).RejectAsync(item.Id, "Wrong date"))).Succeeded);
        Assert.Equal(ReviewState.Rejected, (await As(Editor, sp => Items(sp).FindAsync(item.Id)))!.ReviewState);

        await As(Editor, sp => Reviews(sp).SubmitAsync(item.Id, "Fixed"));
        await As(Admin, sp => Reviews(sp).ApproveAsync(item.Id, null));
        var current = (await As(Editor, sp => Items(sp).FindAsync(item.Id)))!;
        var input = new ContentItemInput { Id = item.Id, TypeId = type.Id, Slug = current.Slug, ConcurrencyToken = current.ConcurrencyToken, Ja = ContentValues.Parse(current.ValuesJa) };
        input.Ja["title"] = "Changed after approval";
        var saved = await As(Editor, sp => Items(sp).SaveDraftAsync(input));

        Assert.Equal(ReviewState.None, saved.Value!.ReviewState);
        Assert.False((await As(Editor, sp => Publishing(sp).PublishAsync(new(item.Id)))).Succeeded);
    }

    [Fact]
    public async Task A_scheduled_publication_of_an_unapproved_item_is_not_made_and_its_schedule_is_cleared()
    {
        var type = await ReviewedTypeAsync();
        factory.Actor.Current = Editor;
        var item = await factory.CreateItemAsync(type, "scheduled-unapproved", "Scheduled");
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        await As(Editor, sp => Publishing(sp).ScheduleAsync(new(item.Id), now.AddMinutes(5), null));
        factory.Clock.Advance(TimeSpan.FromMinutes(6));

        await factory.WithScopeAsync(sp => sp.GetRequiredService<ContentScheduleJob>().ExecuteAsync(CancellationToken.None));

        var after = (await As(Editor, sp => Items(sp).FindAsync(item.Id)))!;
        Assert.Equal(ContentStatus.Draft, after.Status);
        Assert.Null(after.PublishAtUtc);
        var failed = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.ContentItemPublished && e.Outcome == AuditOutcome.Failure && e.EntityId == item.Id.ToString());
        Assert.StartsWith($"Scheduled publication of \"Scheduled\" ({type.ApiId}/scheduled-unapproved) failed: ", AuditText.English(failed), StringComparison.Ordinal);
    }

    [Fact]
    public void Reviewers_are_the_role_or_the_named_staff()
    {
        var type = new ContentType { RequiresApproval = true, ReviewerRole = StaffRoles.Administrator, ReviewerEmails = "a@x.test, b@x.test" };
        Assert.True(ContentReviewRules.CanReview(type, "someone@x.test", [StaffRoles.Administrator]));
        Assert.True(ContentReviewRules.CanReview(type, "B@x.test", [StaffRoles.ContentEditor]));
        Assert.False(ContentReviewRules.CanReview(type, "c@x.test", [StaffRoles.ContentEditor]));
        type.RequiresApproval = false;
        Assert.False(ContentReviewRules.CanReview(type, "a@x.test", []));
    }
}
