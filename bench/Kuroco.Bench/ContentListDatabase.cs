using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// A real SQLite database file, migrated by the app's own start-up code (<see cref="DatabaseInitializer"/>
/// through <c>AddInfrastructure</c>), holding 100,000 items of the type <c>articles</c>, 3,000 of <c>pages</c>
/// and 500 in the trash. Built once into a temp folder and reused by every benchmark process (BenchmarkDotNet
/// runs each case in its own process); delete the folder, or bump <see cref="Version"/>, to rebuild.
/// </summary>
public static class ContentListDatabase
{
    public const int ArticleCount = 100_000;
    public const int PageCount = 3_000;
    public const int TrashCount = 500;
    /// <summary>In about 1% of the article titles.</summary>
    public const string EnglishWord = "Kyoto";
    /// <summary>In about 1% of the article titles (the Japanese ones: 0.9%).</summary>
    public const string JapaneseWord = "北海道";

    private const string Version = "v3";
    private const int BatchSize = 5_000;

    public static readonly Guid ArticlesTypeId = new("6c1d3f0a-0000-4000-8000-000000000001");
    public static readonly Guid PagesTypeId = new("6c1d3f0a-0000-4000-8000-000000000002");

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "kuroco-bench-list-" + Version);

    public static string DatabasePath => Path.Combine(Folder, "kuroco.db");

    /// <summary>The app's service provider over the benchmark database, migrated and filled.</summary>
    public static async Task<ServiceProvider> OpenAsync(Action<string>? log = null)
    {
        log ??= Console.WriteLine;
        Directory.CreateDirectory(Folder);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = Folder,
            ["Database:Provider"] = "Sqlite",
            ["Kuroco:Jobs:RunServer"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInfrastructure(configuration, Folder);
        services.AddScoped<IAuditContext, BenchAuditContext>();
        var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var marker = Path.Combine(Folder, "filled");
        if (!File.Exists(marker))
        {
            var started = Stopwatch.StartNew();
            await FillAsync(provider);
            await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            log($"Filled {DatabasePath} with {ArticleCount + PageCount + TrashCount:N0} items in {started.Elapsed.TotalSeconds:N1} s.");
        }
        return provider;
    }

    private static async Task FillAsync(IServiceProvider provider)
    {
        var contexts = provider.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            // A half-built database from an interrupted run starts again from empty.
            await db.ContentItems.ExecuteDeleteAsync();
            await db.ContentTypes.ExecuteDeleteAsync();
            db.ContentTypes.AddRange(Type(ArticlesTypeId, "articles", "Articles"), Type(PagesTypeId, "pages", "Pages"));
            await db.SaveChangesAsync();
        }

        var random = new Random(4);
        var now = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var total = ArticleCount + PageCount + TrashCount;
        for (var start = 0; start < total; start += BatchSize)
        {
            await using var db = await contexts.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync();
            var batch = new List<ContentItem>(BatchSize);
            for (var n = start; n < Math.Min(total, start + BatchSize); n++)
            {
                var isPage = n >= ArticleCount && n < ArticleCount + PageCount;
                var inTrash = n >= ArticleCount + PageCount;
                batch.Add(Item(random, now, n, isPage ? PagesTypeId : ArticlesTypeId, isPage ? "pages" : "articles", inTrash));
            }
            db.ContentItems.AddRange(batch);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        // No ANALYZE: the app never runs it, so the planner works here as it does in production (no statistics).
    }

    private static ContentType Type(Guid id, string apiId, string name) => new()
    {
        Id = id,
        ApiId = apiId,
        Name = name,
        CreatedAtUtc = new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        UpdatedAtUtc = new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        ConcurrencyToken = Guid.NewGuid(),
        Fields =
        [
            new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true },
            new FieldDefinition { Key = "summary", LabelEn = "Summary", Kind = FieldKind.LongText },
            new FieldDefinition { Key = "body", LabelEn = "Body", Kind = FieldKind.RichText },
        ],
    };

    private static readonly string[] JapaneseWords =
        ["東京", "大阪", "新製品", "発表", "イベント", "開催", "お知らせ", "キャンペーン", "レポート", "セミナー", "春", "夏", "秋", "冬", "限定", "特集", "インタビュー", "更新", "導入事例", "採用"];

    private static readonly string[] EnglishWords =
        ["Tokyo", "Osaka", "launch", "product", "event", "notice", "campaign", "report", "seminar", "spring", "summer", "autumn", "winter", "limited", "feature", "interview", "update", "case", "study", "hiring"];

    private static ContentItem Item(Random random, DateTime now, int n, Guid typeId, string typeApiId, bool inTrash)
    {
        var roll = random.Next(100);
        var status = roll < 60 ? ContentStatus.Published : roll < 90 ? ContentStatus.Draft : ContentStatus.Archived;
        var language = random.Next(100);
        var hasJa = language < 90;
        var hasEn = language >= 40;
        // About 1% of the titles (whichever language is the title) hold each search word; Japanese titles often
        // carry Latin words too.
        var special = random.Next(100);
        var titleJa = Words(random, JapaneseWords, "", special == 0 ? JapaneseWord : special == 1 ? EnglishWord : null);
        var titleEn = Words(random, EnglishWords, " ", special == 1 ? EnglishWord : null);
        var created = now.AddMinutes(-random.Next(3 * 365 * 24 * 60));
        var updated = created.AddMinutes(random.Next(60 * 24 * 30));
        var valuesJa = hasJa ? Values(titleJa, "概要です。" + titleJa, "<p>" + string.Concat(Enumerable.Repeat(titleJa + "について。", 8)) + "</p>") : "{}";
        var valuesEn = hasEn ? Values(titleEn, "Summary: " + titleEn, "<p>" + string.Concat(Enumerable.Repeat("About " + titleEn + ". ", 8)) + "</p>") : "{}";
        var published = status == ContentStatus.Published;
        return new ContentItem
        {
            Id = Guid.NewGuid(),
            TypeId = typeId,
            TypeApiId = typeApiId,
            Slug = typeApiId + "-" + n.ToString(CultureInfo.InvariantCulture),
            Title = hasJa ? titleJa : titleEn,
            Status = status,
            HasUnpublishedChanges = published && random.Next(10) == 0,
            PublishedAtUtc = published ? created.AddMinutes(random.Next(60 * 24)) : null,
            PublishAtUtc = status == ContentStatus.Draft && random.Next(50) == 0 ? now.AddDays(random.Next(1, 30)) : null,
            CreatedAtUtc = created,
            UpdatedAtUtc = updated,
            CreatedBy = "editor" + random.Next(20).ToString(CultureInfo.InvariantCulture) + "@example.com",
            UpdatedBy = "editor" + random.Next(20).ToString(CultureInfo.InvariantCulture) + "@example.com",
            HasJa = hasJa,
            HasEn = hasEn,
            ValuesJa = valuesJa,
            ValuesEn = valuesEn,
            PublishedJa = published && hasJa ? valuesJa : null,
            PublishedEn = published && hasEn ? valuesEn : null,
            VersionCount = 1 + random.Next(5),
            ConcurrencyToken = Guid.NewGuid(),
            DeletedAtUtc = inTrash ? now.AddDays(-random.Next(30)).AddMinutes(-random.Next(1440)) : null,
            DeletedBy = inTrash ? "editor@example.com" : null,
        };
    }

    private static string Words(Random random, string[] words, string separator, string? special)
    {
        var picked = Enumerable.Range(0, 3 + random.Next(3)).Select(_ => words[random.Next(words.Length)]).ToList();
        if (special is not null)
        {
            picked.Insert(random.Next(picked.Count + 1), special);
        }
        return string.Join(separator, picked);
    }

    private static string Values(string title, string summary, string body) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["title"] = title, ["summary"] = summary, ["body"] = body });

    private sealed class BenchAuditContext : IAuditContext
    {
        private static readonly AuditActor Actor = new(null, "bench", []);

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Actor);

        public AuditOrigin GetOrigin() => new(null, null, "bench");
    }
}
