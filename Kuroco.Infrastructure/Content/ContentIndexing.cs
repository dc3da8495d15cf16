using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Content;

internal sealed class ContentFieldValueConfiguration : IEntityTypeConfiguration<ContentFieldValue>
{
    public void Configure(EntityTypeBuilder<ContentFieldValue> builder)
    {
        builder.ToTable("ContentFieldValues");
        builder.HasKey(v => v.Id);
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(v => v.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(v => v.TypeApiId).HasMaxLength(ContentType.ApiIdMaxLength).IsRequired();
        builder.Property(v => v.Language).HasMaxLength(2).IsRequired();
        builder.Property(v => v.FieldKey).HasMaxLength(ContentIndexKeys.FieldKeyMaxLength).IsRequired();
        builder.Property(v => v.Value).HasMaxLength(ContentIndexKeys.ValueMaxLength).IsRequired();
        // The list walk: one type, one language, one key, in value order (filter ranges and sort), then id for ties. Restricted
        // comes last so that the member-only check of a walked row is read from the index too (COUNT stays index-only).
        builder.HasIndex(v => new { v.TypeApiId, v.Language, v.FieldKey, v.Value, v.ItemId, v.Restricted });
        // Per-item probes for the other filters and sort keys (and the rewrite of an item's rows).
        builder.HasIndex(v => new { v.ItemId, v.Language, v.FieldKey, v.Value });
    }
}

internal sealed class ContentDeliveredJsonConfiguration : IEntityTypeConfiguration<ContentDeliveredJson>
{
    public void Configure(EntityTypeBuilder<ContentDeliveredJson> builder)
    {
        builder.ToTable("ContentDeliveredJson");
        // One row per variant of a published item; the delivery reads it by primary key beside the item.
        builder.HasKey(j => new { j.ItemId, j.Language });
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(j => j.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(j => j.Language).HasMaxLength(2).IsRequired();
        builder.Property(j => j.Json).IsRequired();
    }
}

/// <summary>
/// The index rows of one item: none unless it is published and not deleted. Pure. Every row says whether the item is
/// member-only, and a restricted item has one <see cref="ContentIndexKeys.Group"/> row per group that may read it.
/// </summary>
internal static class ContentIndexRows
{
    public static List<ContentFieldValue> For(ContentItem item, ContentType? type, ContentOptions options)
    {
        var rows = new List<ContentFieldValue>();
        if (type is null || item.Status != ContentStatus.Published || item.DeletedAtUtc is not null)
        {
            return rows;
        }
        var groups = ContentMemberAccess.Effective(type.RestrictedToGroups, item.RestrictedToGroups);
        var restricted = groups.Count > 0;
        foreach (var language in ContentLanguages.All)
        {
            var chosen = options.Resolve(language, item.PublishedJa is not null, item.PublishedEn is not null);
            if (chosen is null)
            {
                continue;
            }
            var values = ContentValues.Parse(chosen == ContentLanguages.English ? item.PublishedEn : item.PublishedJa);
            void Add(string key, string value, string? text = null) => rows.Add(new ContentFieldValue
            {
                ItemId = item.Id,
                TypeApiId = item.TypeApiId,
                Language = language,
                FieldKey = key,
                Value = value,
                Text = text,
                Restricted = restricted,
            });
            foreach (var group in groups)
            {
                Add(ContentIndexKeys.Group, group.ToString("D"));
            }
            Add(ContentIndexKeys.PublishedAt, ContentIndexKeys.Date(item.PublishedAtUtc ?? item.UpdatedAtUtc));
            Add(ContentIndexKeys.UpdatedAt, ContentIndexKeys.Date(item.UpdatedAtUtc));
            Add(ContentIndexKeys.Slug, ContentIndexKeys.Text(item.Slug), ContentIndexKeys.Search(item.Slug));
            foreach (var field in type.ActiveFields)
            {
                var value = values.GetValueOrDefault(field.Key);
                if (field.IsListKind)
                {
                    foreach (var entry in ContentValues.SplitList(value).Select(ContentIndexKeys.Text).Distinct(StringComparer.Ordinal))
                    {
                        Add(field.Key, entry);
                    }
                }
                else if (ContentIndexKeys.IsSortable(field.Kind) || !string.IsNullOrEmpty(value))
                {
                    // Sortable fields always have exactly one row ("" when empty), so a sort never drops an item.
                    Add(field.Key, ContentIndexKeys.ValueOf(field.Kind, value), ContentIndexKeys.SearchTextOf(field.Kind, value));
                }
            }
        }
        return rows;
    }
}

/// <summary>
/// Keeps the delivery index in step with every SaveChanges that adds, changes or removes a content item,
/// inside that same SaveChanges (so the same transaction): the console, the schedule job, bulk actions,
/// the management API and seeders all go through here. Rows are only rewritten when something the index
/// holds could have changed (the published copy, status, deletion, slug, dates). Once the save is done (or failed), the cached
/// list totals of the types it touched are dropped (<see cref="DeliveryCounts"/>).
/// </summary>
internal sealed class ContentIndexInterceptor(IOptions<ContentOptions> options, DeliveryCounts counts) : SaveChangesInterceptor
{
    /// <summary>The types whose index rows a save in progress rewrites (the interceptor is shared by every context).</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, List<string>> touched = [];

    private static readonly string[] Watched =
    [
        nameof(ContentItem.Status), nameof(ContentItem.PublishedJa), nameof(ContentItem.PublishedEn), nameof(ContentItem.PublishedAtUtc),
        nameof(ContentItem.UpdatedAtUtc), nameof(ContentItem.Slug), nameof(ContentItem.DeletedAtUtc), nameof(ContentItem.TypeApiId),
        nameof(ContentItem.RestrictedToGroups),
    ];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is KurocoDbContext db && Pending(db) is { Count: > 0 } pending)
        {
            var ids = pending.Where(p => p.State != EntityState.Added).Select(p => p.Entity.Id).ToList();
            var old = ids.Count == 0 ? [] : db.Set<ContentFieldValue>().Where(v => ids.Contains(v.ItemId)).ToList();
            var oldJson = ids.Count == 0 ? [] : db.Set<ContentDeliveredJson>().Where(j => ids.Contains(j.ItemId)).ToList();
            var typeIds = TypeIdsToLoad(db, pending);
            var types = typeIds.Count == 0 ? [] : db.ContentTypes.AsNoTracking().Where(t => typeIds.Contains(t.Id)).ToList();
            Apply(db, pending, old, oldJson, types);
            Touch(db, pending);
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Forget(eventData?.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Forget(eventData?.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData?.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData?.Context);
        return Task.CompletedTask;
    }

    private void Touch(DbContext db, List<EntityEntry<ContentItem>> pending)
    {
        var types = touched.GetOrCreateValue(db);
        types.AddRange(pending.SelectMany(p => new[] { p.Entity.TypeApiId, p.Property(i => i.TypeApiId).OriginalValue }));
    }

    /// <summary>
    /// After the save (committed, unless an outer transaction is still open: the services notify their listeners after that commit,
    /// which forget the counts again, see <see cref="DeliveryCountEviction"/>).
    /// </summary>
    private void Forget(DbContext? db)
    {
        if (db is not null && touched.TryGetValue(db, out var types))
        {
            touched.Remove(db);
            foreach (var typeApiId in types.Distinct(StringComparer.Ordinal))
            {
                counts.Forget(typeApiId);
            }
        }
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is KurocoDbContext db && Pending(db) is { Count: > 0 } pending)
        {
            var ids = pending.Where(p => p.State != EntityState.Added).Select(p => p.Entity.Id).ToList();
            var old = ids.Count == 0 ? [] : await db.Set<ContentFieldValue>().Where(v => ids.Contains(v.ItemId)).ToListAsync(cancellationToken);
            var oldJson = ids.Count == 0 ? [] : await db.Set<ContentDeliveredJson>().Where(j => ids.Contains(j.ItemId)).ToListAsync(cancellationToken);
            var typeIds = TypeIdsToLoad(db, pending);
            var types = typeIds.Count == 0 ? [] : await db.ContentTypes.AsNoTracking().Where(t => typeIds.Contains(t.Id)).ToListAsync(cancellationToken);
            Apply(db, pending, old, oldJson, types);
            Touch(db, pending);
        }
        return result;
    }

    private static List<EntityEntry<ContentItem>> Pending(KurocoDbContext db)
    {
        db.ChangeTracker.DetectChanges();
        return [.. db.ChangeTracker.Entries<ContentItem>().Where(e => e.State switch
        {
            EntityState.Added => Visible(e.Entity.Status, e.Entity.DeletedAtUtc),
            EntityState.Deleted => true,
            EntityState.Modified => Watched.Any(p => e.Property(p).IsModified)
                && (Visible(e.Entity.Status, e.Entity.DeletedAtUtc)
                    || Visible(e.Property(i => i.Status).OriginalValue, e.Property(i => i.DeletedAtUtc).OriginalValue)),
            _ => false,
        })];
    }

    private static bool Visible(ContentStatus status, DateTime? deletedAtUtc) => status == ContentStatus.Published && deletedAtUtc is null;

    private static List<Guid> TypeIdsToLoad(KurocoDbContext db, List<EntityEntry<ContentItem>> pending)
    {
        var tracked = db.ChangeTracker.Entries<ContentType>().Select(e => e.Entity.Id).ToHashSet();
        return [.. pending.Where(p => p.State != EntityState.Deleted).Select(p => p.Entity.TypeId).Distinct().Where(id => !tracked.Contains(id))];
    }

    private void Apply(KurocoDbContext db, List<EntityEntry<ContentItem>> pending, List<ContentFieldValue> old, List<ContentDeliveredJson> oldJson, List<ContentType> loaded)
    {
        var types = db.ChangeTracker.Entries<ContentType>().Select(e => e.Entity).Concat(loaded).DistinctBy(t => t.Id).ToDictionary(t => t.Id);
        var set = db.Set<ContentFieldValue>();
        set.RemoveRange(old.Where(v => db.Entry(v).State != EntityState.Deleted));
        // The stored answers: rewritten like the index rows. A row kept with the same bytes is left alone (no write).
        var json = db.Set<ContentDeliveredJson>();
        var stale = oldJson.Where(j => db.Entry(j).State != EntityState.Deleted).ToDictionary(j => (j.ItemId, j.Language));
        foreach (var entry in pending.Where(p => p.State != EntityState.Deleted))
        {
            var type = types.GetValueOrDefault(entry.Entity.TypeId);
            set.AddRange(ContentIndexRows.For(entry.Entity, type, options.Value));
            foreach (var row in DeliveredJson.Rows(entry.Entity, type))
            {
                if (stale.Remove((row.ItemId, row.Language), out var kept))
                {
                    if (!kept.Json.AsSpan().SequenceEqual(row.Json))
                    {
                        kept.Json = row.Json;
                    }
                }
                else
                {
                    json.Add(row);
                }
            }
        }
        json.RemoveRange(stale.Values);
    }
}

/// <summary>Rebuilds the index of a type (its fields changed) or of every type whose index does not match its items.</summary>
public sealed partial class ContentIndexer(IDbContextFactory<KurocoDbContext> contexts, IOptions<ContentOptions> options, ILogger<ContentIndexer> logger,
    DeliveryCounts counts)
{
    private const int Batch = 500;

    /// <summary>Replaces every index row of the type in one transaction.</summary>
    public async Task ReindexTypeAsync(string typeApiId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var type = await db.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.ApiId == typeApiId, cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            // Serializable: an item published while the type is rebuilt is either seen here or indexed by its own save, never both.
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            await db.Set<ContentFieldValue>().Where(v => v.TypeApiId == typeApiId).ExecuteDeleteAsync(cancellationToken);
            // The stored answers hold the active fields in the type's order: rewritten with the rows (an API id only changes
            // while the type has no items).
            await db.Set<ContentDeliveredJson>().Where(j => db.ContentItems.Any(i => i.Id == j.ItemId && i.TypeApiId == typeApiId))
                .ExecuteDeleteAsync(cancellationToken);
            var after = Guid.Empty;
            var first = true;
            while (type is not null)
            {
                var query = db.ContentItems.AsNoTracking()
                    .Where(i => i.TypeApiId == typeApiId && i.Status == ContentStatus.Published && i.DeletedAtUtc == null);
                if (!first)
                {
                    query = query.Where(i => i.Id.CompareTo(after) > 0);
                }
                var items = await query.OrderBy(i => i.Id).Take(Batch).ToListAsync(cancellationToken);
                if (items.Count == 0)
                {
                    break;
                }
                first = false;
                after = items[^1].Id;
                db.Set<ContentFieldValue>().AddRange(items.SelectMany(i => ContentIndexRows.For(i, type, options.Value)));
                db.Set<ContentDeliveredJson>().AddRange(items.SelectMany(i => DeliveredJson.Rows(i, type)));
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
            await transaction.CommitAsync(cancellationToken);
        });
        counts.Forget(typeApiId);
    }

    /// <summary>
    /// Start-up check (migrations cannot compute the index): for each type, the number of items served per
    /// language must equal the number indexed; a type that differs (new index, fallback setting changed,
    /// rows written around the services) is rebuilt.
    /// </summary>
    public async Task<int> RebuildStaleAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var served = await db.ContentItems.AsNoTracking()
            .Where(i => i.Status == ContentStatus.Published && i.DeletedAtUtc == null)
            .Select(i => new { i.TypeApiId, Ja = i.PublishedJa != null, En = i.PublishedEn != null })
            .ToListAsync(cancellationToken);
        var expected = served
            .SelectMany(i => ContentLanguages.All.Where(l => options.Value.Resolve(l, i.Ja, i.En) is not null).Select(l => (i.TypeApiId, Language: l)))
            .GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        var indexed = (await db.Set<ContentFieldValue>().AsNoTracking().Where(v => v.FieldKey == ContentIndexKeys.PublishedAt)
            .GroupBy(v => new { v.TypeApiId, v.Language }).Select(g => new { g.Key.TypeApiId, g.Key.Language, Count = g.Count() })
            .ToListAsync(cancellationToken)).ToDictionary(x => (x.TypeApiId, x.Language), x => x.Count);
        // The stored answers (DeliveryFastPath): a variant of a published item without its JSON (a database from before them).
        var json = db.Set<ContentDeliveredJson>();
        var withoutJson = await db.ContentItems.AsNoTracking()
            .Where(i => i.Status == ContentStatus.Published && i.DeletedAtUtc == null
                && ((i.PublishedJa != null && !json.Any(j => j.ItemId == i.Id && j.Language == ContentLanguages.Japanese))
                    || (i.PublishedEn != null && !json.Any(j => j.ItemId == i.Id && j.Language == ContentLanguages.English))))
            .Select(i => i.TypeApiId).Distinct().ToListAsync(cancellationToken);
        var stale = expected.Keys.Concat(indexed.Keys).Where(k => expected.GetValueOrDefault(k) != indexed.GetValueOrDefault(k))
            .Select(k => k.TypeApiId).Concat(withoutJson).Distinct(StringComparer.Ordinal).ToList();
        foreach (var typeApiId in stale)
        {
            LogRebuilding(logger, typeApiId);
            await ReindexTypeAsync(typeApiId, cancellationToken);
        }
        return stale.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilding the delivery index of content type {TypeApiId}.")]
    private static partial void LogRebuilding(ILogger logger, string typeApiId);
}

/// <summary>Runs the index check once when the app starts (after the database initializer has migrated).</summary>
internal sealed partial class ContentIndexStartup(ContentIndexer indexer, ILogger<ContentIndexStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await indexer.RebuildStaleAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database without the index table yet (migrations off) must not stop the console.
            LogFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "The delivery index check failed; filtered lists may be incomplete until it runs again.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
