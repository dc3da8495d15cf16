using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Content;

/// <summary>The item's lifecycle rules (ContentItemLifecycle.cs) without a database: each step's refusals, their kinds and order, and what a step changes.</summary>
public sealed class ContentItemLifecycleTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc);

    private static ContentType Type(bool requiresApproval = false) => new()
    {
        Id = Guid.NewGuid(),
        ApiId = "news",
        RequiresApproval = requiresApproval,
        Fields = [new FieldDefinition { Key = "title", Kind = FieldKind.ShortText }],
    };

    /// <summary>A draft with a Japanese title, saved by "editor" an hour ago.</summary>
    private static ContentItem Draft(ContentType type)
    {
        var item = ContentItem.Create(type, "editor", Now.AddHours(-1));
        item.EditWorkingCopy(type, ContentLanguages.Japanese, "launch", """{"title":"Launch"}""", "{}", "editor", Now.AddHours(-1));
        return item;
    }

    private static ContentItem Published(ContentType type)
    {
        var item = Draft(type);
        Assert.True(item.Publish(type, null, [], "editor", Now.AddMinutes(-30)).Succeeded);
        return item;
    }

    [Fact]
    public void Publish_copies_the_working_copy_to_the_published_copy_and_gives_a_new_token()
    {
        var type = Type();
        var item = Draft(type);
        var token = item.ConcurrencyToken;
        item.UnpublishAtUtc = Now.AddMinutes(-1); // a stale unpublication goes, a future one stays
        item.PublishAtUtc = Now.AddDays(1);

        var result = item.Publish(type, token, [], "publisher", Now);

        Assert.True(result.Succeeded);
        Assert.Equal(ContentStatus.Published, item.Status);
        Assert.Equal(item.ValuesJa, item.PublishedJa);
        Assert.Null(item.PublishedEn); // no English values: no English published copy
        Assert.Equal(Now, item.PublishedAtUtc);
        Assert.Null(item.PublishAtUtc);
        Assert.Null(item.UnpublishAtUtc);
        Assert.False(item.HasUnpublishedChanges);
        Assert.Equal("publisher", item.UpdatedBy);
        Assert.NotEqual(token, item.ConcurrencyToken);
    }

    [Fact]
    public void Publish_refuses_in_order_trash_then_a_stale_token_then_missing_approval_then_broken_rules_and_changes_nothing()
    {
        using var culture = new CultureScope("en");
        var type = Type(requiresApproval: true);
        var item = Draft(type);
        var token = item.ConcurrencyToken;
        FieldError[] broken = [new("ja.title", "Title (Japanese): a value is required.")];

        var withoutApproval = Type();
        withoutApproval.Id = type.Id;
        var invalid = item.Publish(withoutApproval, token, broken, "x", Now);
        Assert.Equal(ErrorKind.Validation, invalid.Error);
        Assert.Equal(broken, invalid.FieldErrors);

        var unapproved = item.Publish(type, token, broken, "x", Now);
        Assert.Equal(ErrorKind.Conflict, unapproved.Error);
        Assert.Contains("approved", unapproved.Message, StringComparison.Ordinal);

        var stale = item.Publish(type, Guid.NewGuid(), broken, "x", Now);
        Assert.Equal(ErrorKind.PreconditionFailed, stale.Error);
        Assert.Contains("editor saved this item", stale.Message, StringComparison.Ordinal);

        item.DeletedAtUtc = Now;
        var trashed = item.Publish(type, Guid.NewGuid(), broken, "x", Now);
        Assert.Equal(ErrorKind.NotFound, trashed.Error);
        Assert.Contains("trash", trashed.Message, StringComparison.Ordinal);

        Assert.Equal(ContentStatus.Draft, item.Status);
        Assert.Null(item.PublishedJa);
        Assert.Equal(token, item.ConcurrencyToken);
    }

    [Fact]
    public void An_approved_item_may_be_published_and_the_next_edit_needs_a_new_review()
    {
        var type = Type(requiresApproval: true);
        var item = Draft(type);
        item.ReviewState = ReviewState.Approved;

        Assert.True(item.Publish(type, null, [], "x", Now).Succeeded);
        Assert.Equal(ReviewState.None, item.ReviewState);

        item.ReviewState = ReviewState.Approved;
        item.EditWorkingCopy(type, ContentLanguages.Japanese, "launch", """{"title":"Changed"}""", "{}", "x", Now);
        Assert.Equal(ReviewState.None, item.ReviewState);
        Assert.True(item.HasUnpublishedChanges);
        Assert.Equal(ContentStatus.Published, item.Status);
        Assert.Equal("""{"title":"Launch"}""", item.PublishedJa); // the website still reads the published copy
    }

    [Fact]
    public void A_type_that_requires_approval_cannot_be_saved_and_published_in_one_step()
    {
        Assert.Equal(ErrorKind.Conflict, ContentItem.CheckSaveAndPublish(Type(requiresApproval: true)).Error);
        Assert.True(ContentItem.CheckSaveAndPublish(Type()).Succeeded);
    }

    [Fact]
    public void Unpublish_takes_a_published_item_down_to_a_draft_and_refuses_one_that_is_not_published()
    {
        var type = Type();
        var item = Published(type);
        item.UnpublishAtUtc = Now.AddDays(1);

        Assert.True(item.Unpublish(item.ConcurrencyToken, "x", Now).Succeeded);
        Assert.Equal(ContentStatus.Draft, item.Status);
        Assert.Null(item.PublishedJa);
        Assert.Null(item.UnpublishAtUtc);

        var again = item.Unpublish(null, "x", Now);
        Assert.Equal(ErrorKind.Conflict, again.Error);
        Assert.Equal(ErrorKind.PreconditionFailed, Published(type).Unpublish(Guid.NewGuid(), "x", Now).Error);
    }

    [Fact]
    public void Archive_takes_any_live_item_off_the_website_and_clears_its_schedule()
    {
        var type = Type();
        var item = Published(type);
        item.PublishAtUtc = Now.AddDays(1);
        item.UnpublishAtUtc = Now.AddDays(2);

        Assert.True(item.Archive(null, "x", Now).Succeeded);

        Assert.Equal(ContentStatus.Archived, item.Status);
        Assert.Null(item.PublishedJa);
        Assert.Null(item.PublishAtUtc);
        Assert.Null(item.UnpublishAtUtc);
        item.DeletedAtUtc = Now;
        Assert.Equal(ErrorKind.NotFound, item.Archive(null, "x", Now).Error);
    }

    [Fact]
    public void The_trash_takes_the_item_off_the_website_and_gives_it_back_as_a_draft_or_archived_item()
    {
        var type = Type();
        var item = Published(type);
        item.PublishAtUtc = Now.AddDays(1);

        Assert.True(item.MoveToTrash(item.ConcurrencyToken, "remover", Now).Succeeded);
        Assert.True(item.IsInTrash);
        Assert.Equal(ContentStatus.Draft, item.Status);
        Assert.Null(item.PublishedJa);
        Assert.Null(item.PublishAtUtc);
        Assert.Equal("remover", item.DeletedBy);
        Assert.Equal(ErrorKind.NotFound, item.MoveToTrash(null, "x", Now).Error);

        Assert.True(item.RestoreFromTrash("restorer", Now).Succeeded);
        Assert.False(item.IsInTrash);
        Assert.Null(item.DeletedBy);
        Assert.Equal(ContentStatus.Draft, item.Status);
        Assert.Equal(ErrorKind.Conflict, item.RestoreFromTrash("x", Now).Error);

        var archived = Draft(type);
        archived.Archive(null, "x", Now);
        archived.MoveToTrash(null, "x", Now);
        archived.RestoreFromTrash("x", Now);
        Assert.Equal(ContentStatus.Archived, archived.Status);
    }

    [Fact]
    public void A_schedule_needs_future_times_in_order_and_an_unchanged_schedule_changes_nothing()
    {
        using var culture = new CultureScope("en");
        var type = Type();
        var item = Draft(type);

        var past = item.Schedule(Now.AddMinutes(-1), null, null, "x", Now);
        Assert.Equal(ErrorKind.Validation, past.Error);
        Assert.Equal(nameof(ContentItem.PublishAtUtc), Assert.Single(past.FieldErrors).Field);
        Assert.Equal(["A scheduled time must be in the future."], past.Errors);
        var order = item.Schedule(Now.AddHours(2), Now.AddHours(1), null, "x", Now);
        Assert.Equal(nameof(ContentItem.UnpublishAtUtc), Assert.Single(order.FieldErrors).Field);
        Assert.Equal(ErrorKind.PreconditionFailed, item.Schedule(Now.AddHours(1), null, Guid.NewGuid(), "x", Now).Error);

        var token = item.ConcurrencyToken;
        var set = item.Schedule(Now.AddHours(1), Now.AddHours(3), token, "scheduler", Now);
        Assert.True(set.Succeeded);
        Assert.True(set.Value);
        Assert.Equal(Now.AddHours(1), item.PublishAtUtc);
        Assert.NotEqual(token, item.ConcurrencyToken);

        // Time passes: a time already set may stay although it is now in the past.
        token = item.ConcurrencyToken;
        var same = item.Schedule(Now.AddHours(1), Now.AddHours(3), token, "scheduler", Now.AddHours(2));
        Assert.True(same.Succeeded);
        Assert.False(same.Value);
        Assert.Equal(token, item.ConcurrencyToken);
    }

    [Fact]
    public void An_archived_item_is_not_scheduled_for_unpublication_alone()
    {
        var item = Draft(Type());
        item.Archive(null, "x", Now);

        Assert.Equal(ErrorKind.Conflict, item.Schedule(null, Now.AddHours(1), null, "x", Now).Error);
        Assert.True(item.Schedule(Now.AddHours(1), Now.AddHours(2), null, "x", Now).Succeeded);
    }

    [Fact]
    public void Editing_derives_the_title_and_languages_and_versions_number_the_snapshots()
    {
        var type = Type();
        var item = ContentItem.Create(type, new string('a', 300), Now);
        Assert.Equal(ContentItem.ActorMaxLength, item.CreatedBy.Length);

        item.EditWorkingCopy(type, ContentLanguages.English, "slug-only", "{}", """{"title":"  English title  "}""", "x", Now);
        Assert.Equal("English title", item.Title);
        Assert.False(item.HasJa);
        Assert.True(item.HasEn);
        item.EditWorkingCopy(type, ContentLanguages.English, "slug-only", "{}", "{}", "x", Now);
        Assert.Equal("slug-only", item.Title);

        var first = item.NewVersion("create", Now);
        var second = item.NewVersion("draft", Now);
        Assert.Equal([1, 2], new[] { first.Number, second.Number });
        Assert.Equal(2, item.VersionCount);
        Assert.Equal("x", second.SavedBy);
    }

    [Fact]
    public void A_duplicate_is_a_new_unreviewed_draft_with_the_same_values()
    {
        var item = Published(Type());
        item.ReviewState = ReviewState.Approved;

        var copy = item.Duplicate("launch-copy", "copier", Now);

        Assert.NotEqual(item.Id, copy.Id);
        Assert.Equal("launch-copy", copy.Slug);
        Assert.Equal(ContentStatus.Draft, copy.Status);
        Assert.Equal(ReviewState.None, copy.ReviewState);
        Assert.Equal(item.ValuesJa, copy.ValuesJa);
        Assert.Null(copy.PublishedJa);
        Assert.Equal("copier", copy.CreatedBy);
    }
}
