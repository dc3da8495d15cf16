using System.Globalization;
using Kuroco.Core.Api;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Demo;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Api;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Content;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Media;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Demo;

/// <summary>
/// Start-up, after migrations: with <c>Kuroco:Demo:Seed</c>, fills a database without any content type
/// or item with the demo (types <c>news</c> and <c>products</c>, 50 bilingual items, 10 pictures); with
/// <c>Kuroco:Demo:ApiKey</c>, registers that value as a read key for both types. Everything goes
/// through the console's own services (validation, sanitizing, versions, audit, listeners), acting
/// as "demo seeder". Running again, or on a database with content, changes nothing. A failure stops
/// the start with the reason: the demo is an explicit opt-in, so a half-filled demo must not pass unnoticed.
/// </summary>
public sealed partial class DemoSeeder(
    IServiceScopeFactory scopes,
    IDbContextFactory<KurocoDbContext> contexts,
    IOptions<DemoOptions> options,
    TimeProvider clock,
    ILogger<DemoSeeder> logger)
{
    public const string NewsType = "news";
    public const string ProductsType = "products";
    public const string ApiKeyName = "Demo key";
    public const string ActorName = "demo seeder";

    public const int NewsCount = 30;
    public const int ProductCount = 20;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        DemoOptions settings;
        try
        {
            settings = options.Value;
        }
        catch (OptionsValidationException ex)
        {
            throw new InvalidOperationException(string.Join(" ", ex.Failures), ex);
        }
        if (!settings.Seed && !settings.HasApiKey)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var actor = new SeederAuditContext();
        var audit = Create<AuditLog>(provider, actor);
        try
        {
            if (settings.Seed)
            {
                // Members first: the demo's Premium-only news needs the Premium group.
                await SeedMembersAsync(provider, audit, settings.MemberPassword, cancellationToken);
                await SeedContentAsync(provider, audit, actor, cancellationToken);
            }
            if (settings.HasApiKey)
            {
                await EnsureApiKeyAsync(provider, audit, actor, settings.ApiKey!, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DemoSeedException)
        {
            throw new DemoSeedException("The demo data (Kuroco:Demo) could not be created: " + ex.Message, ex);
        }
    }

    private async Task SeedContentAsync(IServiceProvider provider, IAuditLog audit, IAuditContext actor, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var typeCount = await db.ContentTypes.CountAsync(cancellationToken);
            var itemCount = await db.ContentItems.CountAsync(cancellationToken);
            if (typeCount > 0 || itemCount > 0)
            {
                LogSkipped(logger, typeCount, itemCount);
                return;
            }
        }

        var types = Create<ContentTypeService>(provider, audit, actor);
        // Published demo items carry their story's date as publication time (a website sorts by it);
        // the audit log keeps the real time of every change.
        var itemClock = new SettableClock(clock);
        var items = Create<ContentItemService>(provider, audit, actor, itemClock);
        var publishing = Create<ContentPublishingService>(provider, audit, actor, itemClock, items);
        var media = Create<MediaLibrary>(provider, audit, actor);

        var news = Check(await types.SaveAsync(NewsDefinition(), cancellationToken), "content type news");
        Guid? premium;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            premium = await db.MemberGroups.AsNoTracking()
                .Where(g => g.NameEn == DemoMembers.Premium.NameEn && g.NameJa == DemoMembers.Premium.NameJa)
                .Select(g => (Guid?)g.Id).FirstOrDefaultAsync(cancellationToken);
        }
        var products = Check(await types.SaveAsync(ProductsDefinition(), cancellationToken), "content type products");

        var pictures = new List<Guid>();
        foreach (var picture in DemoCatalog.Pictures)
        {
            var png = DemoImages.Gradient(picture.From, picture.To, picture.DiscX, picture.DiscY);
            await using var stream = new MemoryStream(png, writable: false);
            var uploaded = await media.UploadAsync(stream, picture.FileName, cancellationToken);
            if (!uploaded.TryGetValue(out var item))
            {
                throw new DemoSeedException($"The picture {picture.FileName} was refused: {uploaded.Message}");
            }
            var details = await media.UpdateDetailsAsync(item.Id,
                new MediaDetails(picture.AltJa, picture.AltEn, picture.TitleJa, picture.TitleEn), cancellationToken);
            if (!details.Succeeded)
            {
                throw new DemoSeedException($"The details of {picture.FileName} were refused: {details.Message}");
            }
            pictures.Add(item.Id);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var today = now.Date;
        var counts = new int[3]; // published, scheduled, drafts
        var publishedNews = new List<Guid>();
        for (var i = 0; i < NewsCount; i++)
        {
            var entry = DemoCatalog.NewsItems[i % DemoCatalog.NewsItems.Length];
            var state = StateOf(i, 10, draftAt: 7, scheduledAt: 9);
            // Published stories are dated in the past (newest first), scheduled ones on their publication day.
            var date = state == DemoState.Scheduled ? ScheduledTime(today, i) : today.AddDays(-(i * 4) - 1).AddHours(1);
            var input = new ContentItemInput
            {
                TypeId = news.Id,
                Slug = entry.Slug,
                Ja = NewsValues(entry, i, ContentLanguages.Japanese, pictures[i % pictures.Count], date),
                En = NewsValues(entry, i, ContentLanguages.English, pictures[i % pictures.Count], date),
                // A few stories are for Premium members only (served with a Premium member's token).
                RestrictedToGroups = premium is { } premiumId && i < DemoCatalog.NewsItems.Length && DemoMembers.PremiumNews.Contains(entry.Slug) ? [premiumId] : [],
            };
            itemClock.Set(state == DemoState.Published ? date : null);
            var item = Check(await items.SaveDraftAsync(input, cancellationToken: cancellationToken), "news/" + entry.Slug);
            await ApplyStateAsync(publishing, item, state, ScheduledTime(today, i), counts, cancellationToken);
            if (state == DemoState.Published)
            {
                publishedNews.Add(item.Id);
            }
        }
        for (var i = 0; i < ProductCount; i++)
        {
            var entry = DemoCatalog.Products[i % DemoCatalog.Products.Length];
            var state = StateOf(i, 7, draftAt: 3, scheduledAt: 5);
            var release = state == DemoState.Scheduled ? ScheduledTime(today, i + 3) : today.AddDays(-(i * 11) - 20).AddHours(2);
            // Two long-standing products are no longer made: they stay readable, marked discontinued.
            var status = i is 11 or 16 ? DemoCatalog.ProductStatuses[1] : DemoCatalog.ProductStatuses[0];
            var related = publishedNews[(i * 3) % publishedNews.Count];
            var picture = pictures[(i + 3) % pictures.Count];
            var input = new ContentItemInput
            {
                TypeId = products.Id,
                Slug = entry.Slug,
                Ja = ProductValues(entry, ContentLanguages.Japanese, status, release, picture, related),
                En = ProductValues(entry, ContentLanguages.English, status, release, picture, related),
            };
            itemClock.Set(state == DemoState.Published ? release : null);
            var item = Check(await items.SaveDraftAsync(input, cancellationToken: cancellationToken), "products/" + entry.Slug);
            await ApplyStateAsync(publishing, item, state, ScheduledTime(today, i + 3), counts, cancellationToken);
        }
        itemClock.Set(null);
        LogSeeded(logger, NewsCount + ProductCount, counts[0], counts[1], counts[2], pictures.Count);
    }

    /// <summary>
    /// The demo member base (<see cref="DemoMembers"/>) when the database has no member and no group yet; otherwise nothing. The
    /// password is hashed once with the members' hasher and shared by the 200 demo accounts (it is one known demo value anyway).
    /// </summary>
    private async Task SeedMembersAsync(IServiceProvider provider, IAuditLog audit, string? password, CancellationToken cancellationToken)
    {
        var contexts = provider.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var memberCount = await db.Members.CountAsync(cancellationToken);
        var groupCount = await db.MemberGroups.CountAsync(cancellationToken);
        if (memberCount > 0 || groupCount > 0)
        {
            LogMembersSkipped(logger, memberCount, groupCount);
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var groups = DemoMembers.Groups.Select(g => new MemberGroup { Id = Guid.NewGuid(), NameJa = g.NameJa, NameEn = g.NameEn, CreatedAtUtc = now, UpdatedAtUtc = now }).ToList();
        var ids = DemoMembers.Groups.Zip(groups).ToDictionary(p => p.First.Key, p => p.Second.Id, StringComparer.Ordinal);
        var hash = string.IsNullOrEmpty(password) ? null
            : provider.GetRequiredService<IPasswordHasher<Member>>().HashPassword(new Member(), password);
        var members = DemoMembers.Build(ids, hash, now);
        db.MemberGroups.AddRange(groups);
        db.Members.AddRange(members);
        await db.SaveChangesAsync(cancellationToken);
        // One entry for the whole base, without personal values (the addresses are the demo's, but the rule is the rule).
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberDemoSeeded, "MemberGroup", null,
            AuditParameters.Of(
                ("count", members.Count.ToString(CultureInfo.InvariantCulture)),
                ("groupNames", string.Join(", ", groups.Select(g => g.NameJa + " / " + g.NameEn))),
                ("groups", groups.Count.ToString(CultureInfo.InvariantCulture)),
                // Without a password the :no-password template says why they cannot sign in.
                ("variant", hash is null ? "no-password" : "password")),
            AuditOutcome.Success), cancellationToken);
        LogMembersSeeded(logger, members.Count, groups.Count, hash is null ? "without a password (they cannot sign in)" : "with the password of Kuroco:Demo:MemberPassword");
    }

    private async Task EnsureApiKeyAsync(IServiceProvider provider, IAuditLog audit, IAuditContext actor, string secret, CancellationToken cancellationToken)
    {
        var prefix = ApiKeySecret.Prefix(secret);
        var hash = ApiKeySecret.Hash(secret);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var candidates = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix).ToListAsync(cancellationToken);
            var existing = candidates.FirstOrDefault(k => ApiKeySecret.HashesEqual(k.SecretHash, hash));
            if (existing is not null)
            {
                // Never revive a key an Administrator revoked: the value is known to whoever read the settings.
                if (existing.RevokedAtUtc.HasValue)
                {
                    LogKeyRevoked(logger, existing.Prefix);
                }
                else
                {
                    LogKeyPresent(logger, existing.Prefix);
                }
                return;
            }
        }
        var keys = Create<ApiKeyService>(provider, audit, actor);
        var created = await keys.RegisterChosenAsync(new CreateApiKeyRequest
        {
            Name = ApiKeyName,
            AllTypes = false,
            Types = [NewsType, ProductsType],
            Access = ApiAccess.Read,
        }, secret, cancellationToken);
        if (!created.Succeeded)
        {
            throw new DemoSeedException("The demo API key was refused: " + created.Message);
        }
        LogKeyRegistered(logger, prefix);
    }

    /// <summary>
    /// One of the console's services as the seeder uses it: acting as "demo seeder" (<paramref name="replaced"/> holds the
    /// audit context and log, and for items the settable clock) with everything else from <paramref name="provider"/>, the
    /// seeder's own scope. The services are built rather than injected because these few must be replaced; this is the
    /// one place that does it.
    /// </summary>
    private static T Create<T>(IServiceProvider provider, params object[] replaced) => ActivatorUtilities.CreateInstance<T>(provider, replaced);

    private static async Task ApplyStateAsync(IContentPublishingService publishing, ContentItem item, DemoState state, DateTime publishAt, int[] counts, CancellationToken cancellationToken)
    {
        switch (state)
        {
            case DemoState.Published:
                Check(await publishing.PublishAsync(new ContentItemRef(item.Id, item.ConcurrencyToken), cancellationToken), item.TypeApiId + "/" + item.Slug + " (publish)");
                counts[0]++;
                break;
            case DemoState.Scheduled:
                // The same schedule the editor's "Schedule" panel sets: the content-schedule job publishes it.
                Check(await publishing.ScheduleAsync(new ContentItemRef(item.Id, item.ConcurrencyToken), publishAt, null, cancellationToken), item.TypeApiId + "/" + item.Slug + " (schedule)");
                counts[1]++;
                break;
            default:
                counts[2]++;
                break;
        }
    }

    private enum DemoState { Published, Scheduled, Draft }

    private static DemoState StateOf(int index, int cycle, int draftAt, int scheduledAt) =>
        (index % cycle) == draftAt ? DemoState.Draft : (index % cycle) == scheduledAt ? DemoState.Scheduled : DemoState.Published;

    /// <summary>09:00 in Japan (00:00 UTC) a few days ahead.</summary>
    private static DateTime ScheduledTime(DateTime todayUtc, int index) => todayUtc.AddDays(3 + (index % 5) * 2);

    private static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    internal static Dictionary<string, string?> NewsValues(DemoCatalog.News entry, int index, string language, Guid picture, DateTime date)
    {
        var en = language == ContentLanguages.English;
        var paragraph = DemoCatalog.NewsParagraphs[index % DemoCatalog.NewsParagraphs.Length];
        var second = DemoCatalog.NewsParagraphs[(index + 2) % DemoCatalog.NewsParagraphs.Length];
        var points = Enumerable.Range(0, 3).Select(k => DemoCatalog.NewsPoints[(index + k) % DemoCatalog.NewsPoints.Length]).ToList();
        var body = en
            ? $"<p>{Html(entry.LeadEn)}</p><h2>What is new</h2><p>{Html(paragraph.En)}</p><ul>{string.Concat(points.Select(p => $"<li>{Html(p.En)}</li>"))}</ul><p><em>{Html(second.En)}</em></p><p>Questions? Write to <a href=\"mailto:press@sakura-works.example\">press@sakura-works.example</a>.</p>"
            : $"<p>{Html(entry.LeadJa)}</p><h2>概要</h2><p>{Html(paragraph.Ja)}</p><ul>{string.Concat(points.Select(p => $"<li>{Html(p.Ja)}</li>"))}</ul><p><em>{Html(second.Ja)}</em></p><p>お問い合わせは<a href=\"mailto:press@sakura-works.example\">press@sakura-works.example</a>までお寄せください。</p>";
        return new(StringComparer.Ordinal)
        {
            ["title"] = en ? entry.TitleEn : entry.TitleJa,
            ["summary"] = en ? entry.LeadEn : entry.LeadJa,
            ["body"] = body,
            ["hero"] = picture.ToString("D"),
            ["category"] = entry.Category,
            ["tags"] = ContentValues.JoinList(entry.Tags),
            ["date"] = Iso(date),
        };
    }

    internal static Dictionary<string, string?> ProductValues(DemoCatalog.Product entry, string language, string status, DateTime release, Guid picture, Guid related)
    {
        var en = language == ContentLanguages.English;
        var description = en
            ? $"<p>{Html(entry.PitchEn)}</p><ul><li>Price includes consumption tax</li><li>Free delivery on orders over ¥5,000</li></ul><p>Made with our partners in Japan. <strong>Sakura Works</strong></p>"
            : $"<p>{Html(entry.PitchJa)}</p><ul><li>価格は税込です</li><li>5,000円以上のご注文で送料無料</li></ul><p>国内のパートナーとともにつくりました。<strong>さくらワークス</strong></p>";
        return new(StringComparer.Ordinal)
        {
            ["name"] = en ? entry.NameEn : entry.NameJa,
            ["description"] = description,
            ["price"] = entry.Price.ToString(CultureInfo.InvariantCulture),
            ["status"] = status,
            ["releaseDate"] = Iso(release),
            ["image"] = picture.ToString("D"),
            ["tags"] = ContentValues.JoinList(entry.Tags),
            ["relatedNews"] = related.ToString("D"),
        };
    }

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    internal static ContentType NewsDefinition() => new()
    {
        Name = "News",
        ApiId = NewsType,
        Description = "Company news and announcements (demo).",
        Fields =
        [
            new FieldDefinition { Key = "title", LabelEn = "Title", LabelJa = "タイトル", Kind = FieldKind.ShortText, Required = true, MaxLength = 200 },
            new FieldDefinition { Key = "summary", LabelEn = "Summary", LabelJa = "概要", Kind = FieldKind.LongText, MaxLength = 500 },
            new FieldDefinition { Key = "body", LabelEn = "Body", LabelJa = "本文", Kind = FieldKind.RichText, Required = true },
            new FieldDefinition { Key = "hero", LabelEn = "Hero image", LabelJa = "メイン画像", Kind = FieldKind.Media },
            new FieldDefinition { Key = "category", LabelEn = "Category", LabelJa = "カテゴリ", Kind = FieldKind.SingleChoice, Required = true, Choices = [.. DemoCatalog.NewsCategories] },
            new FieldDefinition { Key = "tags", LabelEn = "Tags", LabelJa = "タグ", Kind = FieldKind.Tags, MaxLength = 10 },
            new FieldDefinition { Key = "date", LabelEn = "Date", LabelJa = "日付", Kind = FieldKind.DateTime, Required = true },
        ],
    };

    internal static ContentType ProductsDefinition() => new()
    {
        Name = "Products",
        ApiId = ProductsType,
        Description = "The product catalogue (demo).",
        Fields =
        [
            new FieldDefinition { Key = "name", LabelEn = "Name", LabelJa = "名前", Kind = FieldKind.ShortText, Required = true, MaxLength = 120 },
            new FieldDefinition { Key = "description", LabelEn = "Description", LabelJa = "説明", Kind = FieldKind.RichText },
            new FieldDefinition { Key = "price", LabelEn = "Price (JPY)", LabelJa = "価格（円）", Kind = FieldKind.Number, Required = true, MinValue = 0, MaxValue = 10_000_000 },
            new FieldDefinition { Key = "status", LabelEn = "Status", LabelJa = "ステータス", Kind = FieldKind.SingleChoice, Required = true, Choices = [.. DemoCatalog.ProductStatuses] },
            new FieldDefinition { Key = "releaseDate", LabelEn = "Release date", LabelJa = "発売日", Kind = FieldKind.DateTime },
            new FieldDefinition { Key = "image", LabelEn = "Image", LabelJa = "画像", Kind = FieldKind.Media },
            new FieldDefinition { Key = "tags", LabelEn = "Tags", LabelJa = "タグ", Kind = FieldKind.Tags, MaxLength = 10 },
            new FieldDefinition { Key = "relatedNews", LabelEn = "Related news", LabelJa = "関連ニュース", Kind = FieldKind.Reference, ReferenceTypeApiId = NewsType },
        ],
    };

    private static T Check<T>(Result<T> result, string what) =>
        result.Succeeded && result.Value is { } value
            ? value
            : throw new DemoSeedException($"{what} was refused: {string.Join(" ", result.Errors)}");

    /// <summary>The real clock, or a fixed earlier time while a published demo item is written.</summary>
    private sealed class SettableClock(TimeProvider real) : TimeProvider
    {
        private DateTimeOffset? fixedAt;

        public void Set(DateTime? utc) => fixedAt = utc is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;

        public override DateTimeOffset GetUtcNow() => fixedAt ?? real.GetUtcNow();
    }

    /// <summary>Acts as "demo seeder" in every audit entry and in items' created/updated by.</summary>
    private sealed class SeederAuditContext : IAuditContext
    {
        private static readonly AuditActor Actor = new(null, ActorName, []);

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Actor);

        public AuditOrigin GetOrigin() => new(null, null, "demo-seed");
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Demo data not seeded: the database already has content ({TypeCount} content types, {ItemCount} items); Kuroco:Demo:Seed only fills an empty database.")]
    private static partial void LogSkipped(ILogger logger, int typeCount, int itemCount);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Demo data seeded: content types news and products, {Items} items in Japanese and English ({Published} published, {Scheduled} scheduled, {Drafts} drafts), {Pictures} pictures.")]
    private static partial void LogSeeded(ILogger logger, int items, int published, int scheduled, int drafts, int pictures);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Demo members not seeded: the database already has members or groups ({MemberCount} members, {GroupCount} groups).")]
    private static partial void LogMembersSkipped(ILogger logger, int memberCount, int groupCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo members seeded: {Members} members in {Groups} groups, {Password}.")]
    private static partial void LogMembersSeeded(ILogger logger, int members, int groups, string password);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo API key registered ({Prefix}…): read access to news and products.")]
    private static partial void LogKeyRegistered(ILogger logger, string prefix);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo API key already registered ({Prefix}…); nothing to do.")]
    private static partial void LogKeyPresent(ILogger logger, string prefix);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The demo API key ({Prefix}…) was revoked in the console and is not registered again; choose another Kuroco:Demo:ApiKey value.")]
    private static partial void LogKeyRevoked(ILogger logger, string prefix);
}

/// <summary>The demo could not be created; the message says which item or setting and why.</summary>
public sealed class DemoSeedException : Exception
{
    public DemoSeedException()
    {
    }

    public DemoSeedException(string message)
        : base(message)
    {
    }

    public DemoSeedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
