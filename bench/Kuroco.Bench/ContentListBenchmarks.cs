using BenchmarkDotNet.Attributes;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Bench;

/// <summary>
/// The console's item list (<see cref="IContentItemService.ListAsync"/>, what the MudDataGrid asks for on
/// every page, sort or filter change) over 100,000 items of one type in a real SQLite file
/// (see <see cref="ContentListDatabase"/>). Each call opens its own context, counts and reads one page,
/// exactly as the grid does.
/// </summary>
[MemoryDiagnoser]
public class ContentListBenchmarks
{
    private ServiceProvider provider = default!;
    private IServiceScope scope = default!;
    private IContentItemService items = default!;
    private IContentTrashService trash = default!;
    private IDbContextFactory<KurocoDbContext> contexts = default!;

    [GlobalSetup]
    public void Setup()
    {
        provider = ContentListDatabase.OpenAsync().GetAwaiter().GetResult();
        scope = provider.CreateScope();
        items = scope.ServiceProvider.GetRequiredService<IContentItemService>();
        trash = scope.ServiceProvider.GetRequiredService<IContentTrashService>();
        contexts = provider.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        scope.Dispose();
        provider.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static ContentItemQuery Query(ContentSort sort = ContentSort.UpdatedDesc, int page = 0, ContentStatus? status = null,
        string? language = null, string? text = null) =>
        new(ContentListDatabase.ArticlesTypeId, text, status, language, sort, page, 25);

    [Benchmark(Baseline = true, Description = "first page (25, newest updated)")]
    public Task<ContentItemPage> FirstPage() => items.ListAsync(Query());

    [Benchmark(Description = "page 2000 (rows 50,000-50,024)")]
    public Task<ContentItemPage> Page2000() => items.ListAsync(Query(page: 2000));

    [Benchmark(Description = "status = Published")]
    public Task<ContentItemPage> Published() => items.ListAsync(Query(status: ContentStatus.Published));

    [Benchmark(Description = "language = en")]
    public Task<ContentItemPage> English() => items.ListAsync(Query(language: ContentLanguages.English));

    [Benchmark(Description = "sort, first page")]
    [Arguments(ContentSort.UpdatedAsc)]
    [Arguments(ContentSort.TitleAsc)]
    [Arguments(ContentSort.TitleDesc)]
    [Arguments(ContentSort.SlugAsc)]
    [Arguments(ContentSort.SlugDesc)]
    [Arguments(ContentSort.PublishedDesc)]
    [Arguments(ContentSort.PublishedAsc)]
    [Arguments(ContentSort.StatusAsc)]
    public Task<ContentItemPage> Sorted(ContentSort sort) => items.ListAsync(Query(sort));

    [Benchmark(Description = "text search, English word in ~1% of titles")]
    public Task<ContentItemPage> SearchEnglish() => items.ListAsync(Query(text: ContentListDatabase.EnglishWord));

    [Benchmark(Description = "text search, Japanese word in ~1% of titles")]
    public Task<ContentItemPage> SearchJapanese() => items.ListAsync(Query(text: ContentListDatabase.JapaneseWord));

    [Benchmark(Description = "text search, word in no title (worst case)")]
    public Task<ContentItemPage> SearchNoHit() => items.ListAsync(Query(text: "zzqx"));

    [Benchmark(Description = "count only (the grid's total, same predicate)")]
    public async Task<int> Count()
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.ContentItems.CountAsync(i => i.TypeId == ContentListDatabase.ArticlesTypeId && i.DeletedAtUtc == null);
    }

    [Benchmark(Description = "trash, first page")]
    public Task<ContentItemPage> Trash() => trash.ListAsync(0, 25);
}
