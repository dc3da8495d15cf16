using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// The trash: a delete takes the item off the website at once (listeners are told) and keeps it restorable until the
/// purge job removes it with its versions and reviews. Every step is audited.
/// </summary>
internal sealed class ContentTrashService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock,
    IOptions<ContentOptions> options,
    ContentChangeNotifier notifier) : IContentTrashService
{
    /// <summary>Items removed per round of the purge (each round is one context and one save).</summary>
    public const int PurgeBatchSize = 200;

    public async Task<Result> DeleteAsync(ContentItemRef item, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await ContentItemStore.LoadAsync(db, item, cancellationToken);
        if (!loaded.TryGetValue(out var target))
        {
            return loaded;
        }
        var stored = target.Item;
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var before = stored.Status;
        var trashed = stored.MoveToTrash(item.ExpectedToken, actor, now);
        if (!trashed.Succeeded)
        {
            return trashed;
        }
        if (await ContentItemStore.SaveAsync(db, stored, cancellationToken) is { Succeeded: false } failed)
        {
            return failed;
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemDeleted, AuditEntityTypes.ContentItem, stored.Id.ToString(),
            ContentAudit.Item(stored), AuditOutcome.Success,
            [new FieldChange("Status", before.ToString(), "Trash")]), cancellationToken);
        await notifier.NotifyAsync(ContentChangeNotifier.ChangeOf(ContentChangeKind.Deleted, target.Type, stored, now), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> RestoreAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var item = await db.ContentItems.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null)
        {
            return ContentItemStore.NotFound();
        }
        var restored = item.RestoreFromTrash((await auditContext.GetActorAsync()).Name, clock.GetUtcNow().UtcDateTime);
        if (!restored.Succeeded)
        {
            return restored;
        }
        if (await ContentItemStore.SaveAsync(db, item, cancellationToken) is { Succeeded: false } failed)
        {
            return failed;
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemRestored, AuditEntityTypes.ContentItem, item.Id.ToString(),
            ContentAudit.Item(item, (nameof(ContentItem.Status), item.Status.ToString())), AuditOutcome.Success,
            [new FieldChange("Status", "Trash", item.Status.ToString())]), cancellationToken);
        return Result.Success;
    }

    public async Task<ContentItemPage> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = db.ContentItems.AsNoTracking().Where(i => i.DeletedAtUtc != null);
        var total = await items.CountAsync(cancellationToken);
        var size = Math.Clamp(pageSize, 1, ContentItemQuery.MaxPageSize);
        var rows = await items.OrderByDescending(i => i.DeletedAtUtc).Skip(Math.Max(0, page) * size).Take(size)
            .Select(ContentItemStore.Summary).ToListAsync(cancellationToken);
        return new ContentItemPage(rows, total);
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-Math.Max(0, options.Value.TrashRetentionDays));
        var purged = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var batch = await db.ContentItems.Where(i => i.DeletedAtUtc != null && i.DeletedAtUtc <= cutoff)
                .OrderBy(i => i.DeletedAtUtc).Take(PurgeBatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return purged;
            }
            var ids = batch.Select(i => i.Id).ToList();
            await db.ContentVersions.Where(v => ids.Contains(v.ItemId)).ExecuteDeleteAsync(cancellationToken);
            await db.ContentReviews.Where(r => ids.Contains(r.ItemId)).ExecuteDeleteAsync(cancellationToken);
            db.ContentItems.RemoveRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            purged += batch.Count;
            foreach (var item in batch)
            {
                await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemPurged, AuditEntityTypes.ContentItem, item.Id.ToString(),
                    ContentAudit.Item(item, ("deletedAt", ContentAudit.Iso(item.DeletedAtUtc)), ("deletedBy", item.DeletedBy)),
                    AuditOutcome.Success) { Actor = AuditActor.System }, cancellationToken);
            }
        }
    }
}
