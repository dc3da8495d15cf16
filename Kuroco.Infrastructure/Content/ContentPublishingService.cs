using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Publishing now and on a schedule. Each step reads the item once, lets the item decide (ContentItemLifecycle.cs),
/// keeps a version when the published copy changes, is audited and, after the commit, tells the change listeners
/// (delivery cache eviction, webhooks). The schedule job runs the same steps through <see cref="RunDueAsync"/>.
/// </summary>
internal sealed class ContentPublishingService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock,
    ContentItemChecks checks,
    ContentItemService editing,
    ContentChangeNotifier notifier) : IContentPublishingService
{
    /// <summary>At most this many due items of each kind per run; the next run (a minute later) takes the rest.</summary>
    public const int DueBatchSize = 500;

    public Task<Result<ContentItem>> PublishAsync(ContentItemRef item, CancellationToken cancellationToken = default) =>
        PublishAsync(item, scheduled: false, cancellationToken);

    public async Task<Result<ContentItem>> SaveAndPublishAsync(ContentItemInput input, ContentItemParts keep = ContentItemParts.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await ContentItemService.LoadForSaveAsync(db, input, cancellationToken);
        if (!loaded.TryGetValue(out var target))
        {
            return loaded.As<ContentItem>();
        }
        var saved = await editing.SaveLoadedAsync(db, target.Type, target.Item, input, keep, publishing: true, cancellationToken);
        if (!saved.TryGetValue(out var item))
        {
            return saved;
        }
        // The save just validated this working copy and checked the token: publish exactly what was saved.
        return await PublishLoadedAsync(db, target.Type, item, expectedToken: null, workingCopyErrors: [], scheduled: false, cancellationToken);
    }

    public Task<Result<ContentItem>> UnpublishAsync(ContentItemRef item, CancellationToken cancellationToken = default) =>
        TakeDownAsync(item, ContentStatus.Draft, scheduled: false, cancellationToken);

    public Task<Result<ContentItem>> ArchiveAsync(ContentItemRef item, CancellationToken cancellationToken = default) =>
        TakeDownAsync(item, ContentStatus.Archived, scheduled: false, cancellationToken);

    public async Task<Result<ContentItem>> ScheduleAsync(ContentItemRef item, DateTime? publishAtUtc, DateTime? unpublishAtUtc, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await ContentItemStore.LoadAsync(db, item, cancellationToken);
        if (!loaded.TryGetValue(out var target))
        {
            return loaded.As<ContentItem>();
        }
        var stored = target.Item;
        var (publishBefore, unpublishBefore) = (stored.PublishAtUtc, stored.UnpublishAtUtc);
        var scheduled = stored.Schedule(publishAtUtc, unpublishAtUtc, item.ExpectedToken, (await auditContext.GetActorAsync()).Name, clock.GetUtcNow().UtcDateTime);
        if (!scheduled.TryGetValue(out var changed))
        {
            return scheduled.As<ContentItem>();
        }
        if (!changed)
        {
            return Result.Ok(stored);
        }
        if (await ContentItemStore.SaveAsync(db, stored, cancellationToken) is { Succeeded: false } failed)
        {
            return failed.As<ContentItem>();
        }
        var changes = new List<FieldChange>();
        if (publishBefore != stored.PublishAtUtc)
        {
            changes.Add(new FieldChange(nameof(ContentItem.PublishAtUtc), Iso(publishBefore), Iso(stored.PublishAtUtc)));
        }
        if (unpublishBefore != stored.UnpublishAtUtc)
        {
            changes.Add(new FieldChange(nameof(ContentItem.UnpublishAtUtc), Iso(unpublishBefore), Iso(stored.UnpublishAtUtc)));
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemScheduled, AuditEntityTypes.ContentItem, stored.Id.ToString(),
            ContentAudit.Item(stored), AuditOutcome.Success, changes), cancellationToken);
        return Result.Ok(stored);
    }

    public async Task<IReadOnlyList<ScheduledChange>> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Guid> publish, unpublish;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            publish = await db.ContentItems.AsNoTracking()
                .Where(i => i.PublishAtUtc != null && i.PublishAtUtc <= now && i.DeletedAtUtc == null)
                .OrderBy(i => i.PublishAtUtc).Select(i => i.Id).Take(DueBatchSize).ToListAsync(cancellationToken);
            unpublish = await db.ContentItems.AsNoTracking()
                .Where(i => i.UnpublishAtUtc != null && i.UnpublishAtUtc <= now && i.DeletedAtUtc == null)
                .OrderBy(i => i.UnpublishAtUtc).Select(i => i.Id).Take(DueBatchSize).ToListAsync(cancellationToken);
        }
        var done = new List<ScheduledChange>();
        foreach (var id in publish)
        {
            done.Add(new(id, ContentChangeKind.Published, await PublishAsync(new ContentItemRef(id), scheduled: true, cancellationToken)));
        }
        foreach (var id in unpublish)
        {
            done.Add(new(id, ContentChangeKind.Unpublished, await TakeDownAsync(new ContentItemRef(id), ContentStatus.Draft, scheduled: true, cancellationToken)));
        }
        return done;
    }

    private async Task<Result<ContentItem>> PublishAsync(ContentItemRef item, bool scheduled, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await ContentItemStore.LoadAsync(db, item, cancellationToken);
        if (!loaded.TryGetValue(out var target))
        {
            return loaded.As<ContentItem>();
        }
        // The type may have changed since the last save: the working copy must pass today's rules.
        var errors = await checks.ValidateWorkingCopyAsync(db, target.Type, target.Item, cancellationToken);
        return await PublishLoadedAsync(db, target.Type, target.Item, item.ExpectedToken, errors, scheduled, cancellationToken);
    }

    private async Task<Result<ContentItem>> PublishLoadedAsync(KurocoDbContext db, ContentType type, ContentItem item, Guid? expectedToken,
        IReadOnlyList<FieldError> workingCopyErrors, bool scheduled, CancellationToken cancellationToken)
    {
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var before = item.Status;
        var published = item.Publish(type, expectedToken, workingCopyErrors, actor, now);
        if (!published.Succeeded)
        {
            if (scheduled && !item.IsInTrash)
            {
                // Not approved, or no longer valid: the schedule is dropped (the editor sees it cleared) and the failure audited.
                item.PublishAtUtc = null;
                await ContentItemStore.SaveAsync(db, item, cancellationToken);
                await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemPublished, AuditEntityTypes.ContentItem, item.Id.ToString(),
                    ContentAudit.Item(item, ("variant", "schedule-failed"), ("error", published.Message)), AuditOutcome.Failure), cancellationToken);
            }
            return published.As<ContentItem>();
        }
        ContentItemStore.AddVersion(db, item, scheduled ? "scheduled publish" : "publish", now);
        if (await ContentItemStore.SaveAsync(db, item, cancellationToken) is { Succeeded: false } failed)
        {
            return failed.As<ContentItem>();
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemPublished, AuditEntityTypes.ContentItem, item.Id.ToString(),
            ContentAudit.Item(item, ("variant", scheduled ? "scheduled" : null)), AuditOutcome.Success,
            [new FieldChange("Status", before.ToString(), item.Status.ToString())]), cancellationToken);
        await NotifyAsync(ContentChangeKind.Published, type, item, now, cancellationToken);
        return Result.Ok(item);
    }

    private async Task<Result<ContentItem>> TakeDownAsync(ContentItemRef target, ContentStatus status, bool scheduled, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await ContentItemStore.LoadAsync(db, target, cancellationToken);
        if (!loaded.TryGetValue(out var found))
        {
            return loaded.As<ContentItem>();
        }
        var item = found.Item;
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var before = item.Status;
        var result = status == ContentStatus.Archived
            ? item.Archive(target.ExpectedToken, actor, now)
            : item.Unpublish(target.ExpectedToken, actor, now);
        if (!result.Succeeded)
        {
            if (scheduled && result.Error == ErrorKind.Conflict && item.UnpublishAtUtc is not null)
            {
                // Nothing to take down any more (unpublished by hand meanwhile): the stale schedule goes.
                item.UnpublishAtUtc = null;
                await ContentItemStore.SaveAsync(db, item, cancellationToken);
            }
            return result.As<ContentItem>();
        }
        if (await ContentItemStore.SaveAsync(db, item, cancellationToken) is { Succeeded: false } failed)
        {
            return failed.As<ContentItem>();
        }
        var archived = status == ContentStatus.Archived;
        await audit.WriteAsync(new AuditRecord(archived ? AuditActions.ContentItemArchived : AuditActions.ContentItemUnpublished, AuditEntityTypes.ContentItem, item.Id.ToString(),
            ContentAudit.Item(item, ("variant", scheduled ? "scheduled" : null)),
            AuditOutcome.Success, [new FieldChange("Status", before.ToString(), status.ToString())]), cancellationToken);
        if (before == ContentStatus.Published)
        {
            await NotifyAsync(ContentChangeKind.Unpublished, found.Type, item, now, cancellationToken);
        }
        return Result.Ok(item);
    }

    private async Task NotifyAsync(ContentChangeKind kind, ContentType type, ContentItem item, DateTime now, CancellationToken cancellationToken) =>
        await notifier.NotifyAsync(ContentChangeNotifier.ChangeOf(kind, type, item, now), cancellationToken);

    private static string? Iso(DateTime? value) => value?.ToString("O", CultureInfo.InvariantCulture);
}
