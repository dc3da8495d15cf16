using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Infrastructure.Media;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Media;

/// <summary>
/// The daily cleanup of deleted media (real files in the test's data folder, a fake clock), and the content
/// usage provider's trash flag that the delete confirmation shows.
/// </summary>
public sealed class MediaFileCleanupTests(MediaFileCleanupTests.CleanupAppFactory factory) : IClassFixture<MediaFileCleanupTests.CleanupAppFactory>
{
    public sealed class CleanupAppFactory : KurocoAppFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

        public FakeMediaUsageProvider UsageProvider { get; } = new();

        public CleanupAppFactory()
        {
            Settings["Kuroco:Jobs:RunServer"] = "false";
            Settings["Kuroco:Media:DeletedFileRetentionDays"] = "30";
            TestServices = services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton<IMediaUsageProvider>(UsageProvider);
            };
        }
    }

    private Task<MediaItem> UploadAsync(string name) => factory.WithScopeAsync(async sp =>
    {
        var result = await sp.GetRequiredService<IMediaLibrary>().UploadAsync(new MemoryStream(MediaSamples.Png(500, 500)), name);
        Assert.True(result.Succeeded, result.Message);
        // The thumbnail exists too, so the cleanup has to remove it.
        Assert.True((await sp.GetRequiredService<IMediaLibrary>().OpenThumbnailAsync(result.Value!.Id))!.IsThumbnail);
        return result.Value;
    });

    private Task DeleteAsync(Guid id) => factory.WithScopeAsync(async sp =>
        Assert.True((await sp.GetRequiredService<IMediaLibrary>().DeleteAsync(id, confirmedDespiteUsages: true)).Succeeded));

    private Task RunJobAsync() => factory.WithScopeAsync(sp => sp.GetRequiredService<MediaFileCleanupJob>().ExecuteAsync(CancellationToken.None));

    private string[] FilesOf(Guid id) => [.. MediaHttp.StoredFiles(factory).Where(f => f.Contains(id.ToString("N"), StringComparison.Ordinal))];

    private Task<bool> RowExistsAsync(Guid id) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<Kuroco.Infrastructure.Data.KurocoDbContext>();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Set<MediaItem>(), m => m.Id == id);
    });

    [Fact]
    public async Task Files_of_items_deleted_longer_ago_than_the_retention_go_with_their_thumbnail_and_row_and_the_run_is_audited()
    {
        var old = await UploadAsync("old.png");
        var recent = await UploadAsync("recent.png");
        var live = await UploadAsync("live.png");
        await DeleteAsync(old.Id);
        factory.Clock.Advance(TimeSpan.FromDays(20));
        await DeleteAsync(recent.Id);
        factory.Clock.Advance(TimeSpan.FromDays(11)); // old: 31 days in the trash, recent: 11
        Assert.Equal(2, FilesOf(old.Id).Length); // file and thumbnail

        await RunJobAsync();

        Assert.Empty(FilesOf(old.Id));
        Assert.False(await RowExistsAsync(old.Id));
        Assert.Equal(2, FilesOf(recent.Id).Length);
        Assert.True(await RowExistsAsync(recent.Id));
        Assert.Equal(2, FilesOf(live.Id).Length);
        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MediaFilesPurged && AuditText.English(e).Contains(old.Id.ToString("D"), StringComparison.Ordinal));
        Assert.Equal(AuditOutcome.Success, entry.Outcome);
        Assert.Equal("system", entry.ActorName);
        Assert.Contains($"Removed: {old.Id:D} \"old.png\".", AuditText.English(entry), StringComparison.Ordinal);
        Assert.Contains($"削除: {old.Id:D} \"old.png\"。", AuditText.Japanese(entry), StringComparison.Ordinal);
        Assert.DoesNotContain(recent.Id.ToString("D"), AuditText.English(entry), StringComparison.Ordinal);

        // At-least-once: running again removes nothing more and still says so.
        var before = (await factory.AuditEntriesAsync()).Count(e => e.Action == AuditActions.MediaFilesPurged);
        await RunJobAsync();
        Assert.Equal(before + 1, (await factory.AuditEntriesAsync()).Count(e => e.Action == AuditActions.MediaFilesPurged));
        Assert.Equal(2, FilesOf(recent.Id).Length);
        Assert.Equal(2, FilesOf(live.Id).Length);
    }

    [Fact]
    public async Task A_deleted_item_that_is_still_referenced_keeps_its_file_until_nothing_references_it()
    {
        var used = await UploadAsync("still-used.png");
        factory.UsageProvider.Usages[used.Id] = [new MediaUsage("ContentItem", Guid.NewGuid().ToString(), "news/spring: Spring", InTrash: true)];
        await DeleteAsync(used.Id);
        factory.Clock.Advance(TimeSpan.FromDays(40));

        await RunJobAsync();

        Assert.Equal(2, FilesOf(used.Id).Length);
        Assert.True(await RowExistsAsync(used.Id));
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MediaFilesPurged
            && AuditText.English(e).Contains("Kept: " + used.Id.ToString("D"), StringComparison.Ordinal));

        factory.UsageProvider.Usages.TryRemove(used.Id, out _);
        await RunJobAsync();

        Assert.Empty(FilesOf(used.Id));
        Assert.False(await RowExistsAsync(used.Id));
    }

    [Fact]
    public async Task Content_in_the_trash_is_reported_as_a_usage_flagged_in_trash_without_english_text_in_the_title()
    {
        var image = await UploadAsync("hero.png");
        var item = await factory.WithScopeAsync(async sp =>
        {
            var types = sp.GetRequiredService<IContentTypeService>();
            var type = (await types.SaveAsync(new ContentType
            {
                Name = "Articles",
                ApiId = "a" + Guid.NewGuid().ToString("N")[..10],
                Fields =
                [
                    new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true },
                    new FieldDefinition { Key = "hero", LabelEn = "Hero", Kind = FieldKind.Media },
                ],
            })).Value!;
            var input = new ContentItemInput { TypeId = type.Id, Slug = "with-hero" };
            input.Ja["title"] = "Hero article";
            input.Ja["hero"] = image.Id.ToString("D");
            var saved = await sp.GetRequiredService<IContentItemService>().SaveDraftAsync(input);
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            return saved.Value!;
        });
        Task<IReadOnlyList<MediaUsage>> ContentUsagesAsync() => factory.WithScopeAsync(sp =>
            sp.GetServices<IMediaUsageProvider>().Single(p => p is not FakeMediaUsageProvider).FindUsagesAsync(image.Id));

        var live = Assert.Single(await ContentUsagesAsync());
        Assert.False(live.InTrash);
        await factory.WithScopeAsync(async sp => Assert.True((await sp.GetRequiredService<IContentTrashService>().DeleteAsync(new(item.Id))).Succeeded));
        var trashed = Assert.Single(await ContentUsagesAsync());

        Assert.True(trashed.InTrash);
        Assert.EndsWith("with-hero: Hero article", trashed.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("trash", trashed.Title, StringComparison.OrdinalIgnoreCase);
    }
}
