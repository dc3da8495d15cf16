using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Content;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

public sealed class ContentItemServiceTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static string Api() => "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_stale_save_by_a_second_editor_is_refused_and_the_first_save_stands()
    {
        using var culture = new CultureScope("en");
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "shared", "Original");
        var tokenReadByBoth = item.ConcurrencyToken;

        var first = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Input(type, item, "First editor", tokenReadByBoth)));
        var second = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Input(type, item, "Second editor", tokenReadByBoth)));

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal(ErrorKind.PreconditionFailed, second.Error);
        Assert.Contains("saved this item at", second.Errors[0]);
        var stored = await factory.WithContentAsync((_, items) => items.FindAsync(item.Id));
        Assert.Equal("First editor", ContentValues.Parse(stored!.ValuesJa)["title"]);
        // A stale publish is refused too.
        var publish = await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id, tokenReadByBoth)));
        Assert.Equal(ErrorKind.PreconditionFailed, publish.Error);
    }

    [Fact]
    public async Task Every_save_keeps_a_version_and_an_old_one_is_restored_as_a_new_draft_without_touching_the_published_copy()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "history", "One");
        var published = await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)));
        var saved = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Input(type, published.Value!, "Two", published.Value!.ConcurrencyToken)));
        Assert.True(saved.Succeeded);
        Assert.True(saved.Value!.HasUnpublishedChanges);

        var versions = await factory.WithVersionsAsync(v => v.ListAsync(item.Id));
        Assert.Equal([3, 2, 1], versions.Select(v => v.Number));
        Assert.Equal(["draft", "publish", "create"], versions.Select(v => v.Note));

        var restored = await factory.WithVersionsAsync(v => v.RestoreAsync(item.Id, 1));

        Assert.True(restored.Succeeded);
        Assert.Equal(4, restored.Value!.VersionCount);
        Assert.Equal("One", ContentValues.Parse(restored.Value.ValuesJa)["title"]);
        Assert.Equal(ContentStatus.Published, restored.Value.Status);
        Assert.Equal("One", ContentValues.Parse(restored.Value.PublishedJa)["title"]);
        var v4 = await factory.WithVersionsAsync(v => v.FindAsync(item.Id, 4));
        Assert.Equal("restore of 1", v4!.Note);
        var restoredEntry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.ContentVersionRestored && e.EntityId == item.Id.ToString());
        Assert.Equal($"\"One\" ({type.ApiId}/history): version 1 restored as a new draft (version 4).", AuditText.English(restoredEntry));
    }

    [Fact]
    public async Task Drafts_of_a_published_item_never_reach_the_published_reader()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "live", "Live title");
        Assert.Null(await Reader(r => r.FindAsync(type.ApiId, "live", "ja")));
        var published = await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)));
        await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Input(type, published.Value!, "Unreviewed draft", published.Value!.ConcurrencyToken)));

        var live = await Reader(r => r.FindAsync(type.ApiId, "live", "en"));

        Assert.NotNull(live);
        Assert.Equal("ja", live.Language); // no English variant: the fallback answers
        Assert.Equal("Live title", live.Values["title"]);
        var (list, total) = await factory.WithScopeAsync(sp => sp.GetRequiredService<IPublishedContentReader>().ListAsync(type.ApiId, "ja", 0, 20));
        Assert.Equal(1, total);
        Assert.Equal(item.Id, list.Single().Id);
    }

    [Fact]
    public async Task Scheduled_publish_and_unpublish_happen_when_the_job_runs_after_their_time_and_only_once()
    {
        using var culture = new CultureScope("en");
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "scheduled", "Later");
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var past = await factory.WithPublishingAsync(p => p.ScheduleAsync(new(item.Id), now.AddMinutes(-1), null));
        Assert.Equal(["A scheduled time must be in the future."], past.Errors);
        var scheduled = await factory.WithPublishingAsync(p => p.ScheduleAsync(new(item.Id), now.AddMinutes(10), now.AddHours(2)));
        Assert.True(scheduled.Succeeded, string.Join(" ", scheduled.Errors));

        await RunScheduleJobAsync();
        Assert.Equal(ContentStatus.Draft, (await Find(item.Id)).Status);

        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        await RunScheduleJobAsync();
        await RunScheduleJobAsync(); // at-least-once: a second run changes nothing
        var live = await Find(item.Id);
        Assert.Equal(ContentStatus.Published, live.Status);
        Assert.Null(live.PublishAtUtc);
        var published = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.ContentItemPublished && e.EntityId == item.Id.ToString());
        Assert.Equal($"\"Later\" ({type.ApiId}/scheduled) published by the schedule.", AuditText.English(published));
        Assert.Equal($"「Later」（{type.ApiId}/scheduled）を予約どおり公開しました。", AuditText.Japanese(published));
        Assert.Single(factory.Changes.All, c => c.ItemId == item.Id && c.Kind == ContentChangeKind.Published);

        factory.Clock.Advance(TimeSpan.FromHours(2));
        await RunScheduleJobAsync();
        var down = await Find(item.Id);
        Assert.Equal(ContentStatus.Draft, down.Status);
        Assert.Null(down.PublishedJa);
        Assert.Single(factory.Changes.All, c => c.ItemId == item.Id && c.Kind == ContentChangeKind.Unpublished);
    }

    [Fact]
    public async Task Deleted_items_stay_in_the_trash_for_the_retention_and_are_then_purged()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "old", "Old");
        var kept = await factory.CreateItemAsync(type, "kept", "Kept");
        await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)));

        Assert.True((await factory.WithTrashAsync(t => t.DeleteAsync(new(item.Id)))).Succeeded);
        Assert.Null(await Reader(r => r.FindAsync(type.ApiId, "old", "ja")));
        Assert.Single(factory.Changes.All, c => c.ItemId == item.Id && c.Kind == ContentChangeKind.Deleted);
        var list = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)));
        Assert.Equal([kept.Id], list.Items.Select(i => i.Id));
        var trash = await factory.WithTrashAsync(t => t.ListAsync(0, 200));
        Assert.Contains(trash.Items, i => i.Id == item.Id);

        factory.Clock.Advance(TimeSpan.FromDays(29));
        await RunPurgeJobAsync();
        Assert.True((await factory.WithTrashAsync(t => t.RestoreAsync(item.Id))).Succeeded);
        Assert.Equal(ContentStatus.Draft, (await Find(item.Id)).Status);
        var back = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.ContentItemRestored && e.EntityId == item.Id.ToString());
        Assert.EndsWith("restored from the trash (status: Draft).", AuditText.English(back), StringComparison.Ordinal);
        Assert.EndsWith("をゴミ箱から復元しました（状態: 下書き）。", AuditText.Japanese(back), StringComparison.Ordinal);
        Assert.True((await factory.WithTrashAsync(t => t.DeleteAsync(new(item.Id)))).Succeeded);

        factory.Clock.Advance(TimeSpan.FromDays(31));
        await RunPurgeJobAsync();
        Assert.Null(await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)));
        Assert.NotNull(await factory.WithContentAsync((_, items) => items.FindAsync(kept.Id)));
        Assert.Empty(await factory.WithVersionsAsync(v => v.ListAsync(item.Id)));
        var purged = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.ContentItemPurged && e.EntityId == item.Id.ToString());
        Assert.Equal("system", purged.ActorName);
        Assert.Matches($"^\"Old\" \\({type.ApiId}/old\\) purged from the trash \\(deleted \\d{{4}}-\\d{{2}}-\\d{{2}} \\d{{2}}:\\d{{2}} by [^)]+\\)\\.$", AuditText.English(purged));
    }

    [Fact]
    public async Task Every_change_is_audited_with_before_and_after()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "audited", "Before");
        await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Input(type, item, "After", item.ConcurrencyToken)));
        await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)));
        await factory.WithPublishingAsync(p => p.UnpublishAsync(new(item.Id)));

        var entries = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == item.Id.ToString()).ToList();

        Assert.Equal([AuditActions.ContentItemCreated, AuditActions.ContentItemSaved, AuditActions.ContentItemPublished, AuditActions.ContentItemUnpublished],
            entries.Select(e => e.Action));
        var saved = AuditChanges.Deserialize(entries[1].Changes);
        Assert.Contains(saved, c => c.Field == "ja.title" && c.Before == "Before" && c.After == "After");
        Assert.Equal($"\"Before\" ({type.ApiId}/audited) created (version 1).", AuditText.English(entries[0]));
        Assert.Equal($"\"After\" ({type.ApiId}/audited) saved (version 2).", AuditText.English(entries[1]));
        Assert.Equal($"\"After\" ({type.ApiId}/audited) published.", AuditText.English(entries[2]));
        Assert.Equal($"「After」（{type.ApiId}/audited）を公開しました。", AuditText.Japanese(entries[2]));
        Assert.Equal($"\"After\" ({type.ApiId}/audited) unpublished.", AuditText.English(entries[3]));
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.ContentTypeCreated && e.EntityId == type.Id.ToString());
    }

    [Fact]
    public async Task Rich_text_is_sanitized_on_save_and_other_kinds_are_stored_as_typed()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "xss", "<script>alert(1)</script>",
            "<p onclick=\"alert(1)\">Hi<script>alert(2)</script><a href=\"javascript:alert(3)\">x</a><img src=x onerror=alert(4)><iframe src=\"https://evil\"></iframe></p>");

        var body = ContentValues.Parse(item.ValuesJa)["body"]!;
        Assert.DoesNotContain("script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("iframe", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Hi", body);
        // Plain text is kept as typed (it is encoded wherever it is shown).
        Assert.Equal("<script>alert(1)</script>", ContentValues.Parse(item.ValuesJa)["title"]);
    }

    [Fact]
    public async Task Unique_fields_and_slugs_are_unique_per_type()
    {
        using var culture = new CultureScope("en");
        var type = await factory.CreateTypeAsync(Api());
        var other = await factory.CreateTypeAsync(Api());
        await factory.CreateItemAsync(type, "first", "Same title");
        await factory.CreateItemAsync(other, "first", "Same title"); // another type: fine

        var sameTitle = new ContentItemInput { TypeId = type.Id, Slug = "second" };
        sameTitle.Ja["title"] = "Same title";
        var sameSlug = new ContentItemInput { TypeId = type.Id, Slug = "first" };
        sameSlug.Ja["title"] = "Different";

        var titleResult = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(sameTitle));
        var slugResult = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(sameSlug));

        Assert.Equal(["Title (Japanese): another item already has this value."], titleResult.Errors);
        Assert.Equal(["Another item of this type (maybe in the trash) already uses this slug."], slugResult.Errors);
    }

    [Fact]
    public async Task Removing_a_field_keeps_its_values_and_a_lossy_kind_change_is_refused()
    {
        using var culture = new CultureScope("en");
        var type = await factory.CreateTypeAsync(Api());
        var input = new ContentItemInput { TypeId = type.Id, Slug = "keep" };
        input.Ja["title"] = "Title";
        input.Ja["price"] = "12.5";
        var item = (await factory.WithContentAsync((_, items) => items.SaveDraftAsync(input))).Value!;

        var withoutPrice = Copy(type);
        withoutPrice.Fields.RemoveAll(f => f.Key == "price");
        var saved = await factory.WithContentAsync((types, _) => types.SaveAsync(withoutPrice));
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        Assert.True(saved.Value!.Fields.Single(f => f.Key == "price").IsArchived);

        // Saving the item under the new type keeps the archived value.
        var again = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Input(saved.Value!, item, "Title 2", item.ConcurrencyToken)));
        Assert.True(again.Succeeded, string.Join(" ", again.Errors));
        Assert.Equal("12.5", ContentValues.Parse(again.Value!.ValuesJa)["price"]);

        var lossy = Copy(saved.Value!);
        lossy.Fields.Single(f => f.Key == "title").Kind = FieldKind.Number;
        var refused = await factory.WithContentAsync((types, _) => types.SaveAsync(lossy));
        Assert.False(refused.Succeeded);
        Assert.Contains("without losing existing values", refused.Errors[0]);

        var stale = Copy(type); // the token read before the first change
        var conflict = await factory.WithContentAsync((types, _) => types.SaveAsync(stale));
        Assert.Equal(ErrorKind.PreconditionFailed, conflict.Error);
    }

    [Fact]
    public async Task List_pages_filters_and_sorts_in_the_database()
    {
        var type = await factory.CreateTypeAsync(Api());
        for (var i = 0; i < 7; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            var created = await factory.CreateItemAsync(type, $"item-{i}", $"Item {i}");
            if (i % 2 == 0)
            {
                await factory.WithPublishingAsync(p => p.PublishAsync(new(created.Id)));
            }
        }

        var page = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, PageSize: 3, Page: 1)));
        var published = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, Status: ContentStatus.Published, Sort: ContentSort.SlugAsc)));
        var search = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, Text: "Item 5")));
        var english = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, Language: "en")));

        Assert.Equal(7, page.TotalCount);
        Assert.Equal(["item-3", "item-2", "item-1"], page.Items.Select(i => i.Slug));
        Assert.Equal(["item-0", "item-2", "item-4", "item-6"], published.Items.Select(i => i.Slug));
        Assert.Equal(["item-5"], search.Items.Select(i => i.Slug));
        Assert.Empty(english.Items);
    }

    [Fact]
    public async Task List_sorts_break_ties_by_id_in_the_sort_direction_so_paging_neither_repeats_nor_skips_items()
    {
        // The clock stands still: every item has the same updated time, and the published ones the same publication time.
        var type = await factory.CreateTypeAsync(Api());
        var created = new List<ContentItem>();
        for (var i = 0; i < 6; i++)
        {
            created.Add(await factory.CreateItemAsync(type, $"tie-{i}", $"Tie {i}"));
        }
        foreach (var item in created.Where((_, i) => i % 2 == 1))
        {
            await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)));
        }
        var all = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, PageSize: 10)));
        Assert.Single(all.Items.Select(i => i.UpdatedAtUtc).Distinct());
        // The database's order of ids (SQLite keeps a Guid as upper-case text).
        static string Key(ContentItemSummary i) => i.Id.ToString().ToUpperInvariant();
        var idsAscending = all.Items.OrderBy(Key, StringComparer.Ordinal).Select(i => i.Id).ToList();
        var drafts = all.Items.Where(i => i.Status == ContentStatus.Draft).OrderByDescending(Key, StringComparer.Ordinal).Select(i => i.Id);
        var published = all.Items.Where(i => i.Status == ContentStatus.Published).OrderByDescending(Key, StringComparer.Ordinal).Select(i => i.Id);

        var expected = new Dictionary<ContentSort, IEnumerable<Guid>>
        {
            [ContentSort.UpdatedDesc] = Enumerable.Reverse(idsAscending),
            [ContentSort.UpdatedAsc] = idsAscending,
            [ContentSort.StatusAsc] = drafts.Concat(published),
            // Unpublished items have no publication time and come last newest-first, first oldest-first.
            [ContentSort.PublishedDesc] = published.Concat(drafts),
            [ContentSort.PublishedAsc] = drafts.Reverse().Concat(published.Reverse()),
        };
        foreach (var (sort, order) in expected)
        {
            var paged = new List<Guid>();
            for (var page = 0; page < 3; page++)
            {
                var result = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, Sort: sort, Page: page, PageSize: 2)));
                Assert.Equal(6, result.TotalCount);
                paged.AddRange(result.Items.Select(i => i.Id));
            }
            Assert.True(order.SequenceEqual(paged), $"{sort}: the pages did not follow the id tie-break.");
        }
    }

    [Fact]
    public async Task A_search_without_hits_and_a_page_past_the_end_are_empty_with_the_true_total()
    {
        var type = await factory.CreateTypeAsync(Api());
        await factory.CreateItemAsync(type, "alpha", "Alpha");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await factory.CreateItemAsync(type, "beta", "Beta");

        var noHit = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, Text: "gamma")));
        var pastEnd = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, Page: 1, PageSize: 2)));
        var lastPage = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id, Page: 1, PageSize: 1)));

        Assert.Empty(noHit.Items);
        Assert.Equal(0, noHit.TotalCount);
        Assert.Empty(pastEnd.Items);
        Assert.Equal(2, pastEnd.TotalCount);
        Assert.Equal(["alpha"], lastPage.Items.Select(i => i.Slug));
    }

    private static ContentType Copy(ContentType type) => new()
    {
        Id = type.Id,
        Name = type.Name,
        ApiId = type.ApiId,
        Description = type.Description,
        ConcurrencyToken = type.ConcurrencyToken,
        Fields = [.. type.Fields.Where(f => !f.IsArchived).Select(f => f.Clone())],
    };

    private static ContentItemInput Input(ContentType type, ContentItem item, string title, Guid token)
    {
        var input = new ContentItemInput { Id = item.Id, TypeId = type.Id, Slug = item.Slug, ConcurrencyToken = token, Ja = ContentValues.Parse(item.ValuesJa) };
        input.Ja["title"] = title;
        return input;
    }

    private Task<ContentItem> Find(Guid id) => factory.WithContentAsync(async (_, items) => (await items.FindAsync(id))!);

    private Task<PublishedContent?> Reader(Func<IPublishedContentReader, Task<PublishedContent?>> read) =>
        factory.WithScopeAsync(sp => read(sp.GetRequiredService<IPublishedContentReader>()));

    private Task RunScheduleJobAsync() => factory.WithScopeAsync(sp => sp.GetRequiredService<ContentScheduleJob>().ExecuteAsync(CancellationToken.None));

    private Task RunPurgeJobAsync() => factory.WithScopeAsync(sp => sp.GetRequiredService<ContentTrashPurgeJob>().ExecuteAsync(CancellationToken.None));
}

public sealed class ContentReferenceTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    [Fact]
    public async Task A_reference_must_point_at_an_item_of_its_target_type()
    {
        using var culture = new CultureScope("en");
        var target = await factory.CreateTypeAsync("ref-target-" + Guid.NewGuid().ToString("N")[..6]);
        var other = await factory.CreateTypeAsync("ref-other-" + Guid.NewGuid().ToString("N")[..6]);
        var author = await factory.CreateItemAsync(target, "author", "Author");
        var stranger = await factory.CreateItemAsync(other, "stranger", "Stranger");
        var type = (await factory.WithContentAsync((types, _) => types.SaveAsync(new ContentType
        {
            Name = "Posts",
            ApiId = "posts-" + Guid.NewGuid().ToString("N")[..6],
            Fields = [new FieldDefinition { Key = "author", LabelEn = "Author", Kind = FieldKind.Reference, ReferenceTypeApiId = target.ApiId }],
        }))).Value!;

        ContentItemInput Post(string slug, Guid reference)
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = slug };
            input.Ja["author"] = reference.ToString();
            return input;
        }

        Assert.True((await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Post("ok", author.Id)))).Succeeded);
        var wrongType = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Post("wrong-type", stranger.Id)));
        var missing = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Post("missing", Guid.NewGuid())));
        Assert.Equal([$"Author (Japanese): no item of type {target.ApiId} has this id."], wrongType.Errors);
        Assert.False(missing.Succeeded);
    }
}
