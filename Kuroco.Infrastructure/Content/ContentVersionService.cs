using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

/// <summary>An item's versions: the list, one version, and restoring one as a new draft (audited with the values it changed).</summary>
internal sealed class ContentVersionService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock,
    ContentItemChecks checks) : IContentVersionService
{
    public async Task<IReadOnlyList<ContentVersionSummary>> ListAsync(Guid itemId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentVersions.AsNoTracking().Where(v => v.ItemId == itemId).OrderByDescending(v => v.Number)
            .Select(v => new ContentVersionSummary(v.Id, v.Number, v.Status, v.SavedBy, v.SavedAtUtc, v.Note))
            .ToListAsync(cancellationToken);
    }

    public async Task<ContentVersion?> FindAsync(Guid itemId, int number, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ItemId == itemId && v.Number == number, cancellationToken);
    }

    public async Task<Result<ContentItem>> RestoreAsync(Guid itemId, int number, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await ContentItemStore.LoadAsync(db, new ContentItemRef(itemId), cancellationToken);
        if (!loaded.TryGetValue(out var target))
        {
            return loaded.As<ContentItem>();
        }
        var (item, type) = target;
        if (item.CheckLive(expectedToken: null) is { Succeeded: false } notLive)
        {
            return notLive.As<ContentItem>();
        }
        var version = await db.ContentVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ItemId == itemId && v.Number == number, cancellationToken);
        if (version is null)
        {
            return Result<ContentItem>.NotFound(ContentMessages.Get("Content.Item.VersionNotFound"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var beforeJa = ContentValues.Parse(item.ValuesJa);
        var beforeEn = ContentValues.Parse(item.ValuesEn);
        // The version's values come back; the slug stays as it is.
        item.EditWorkingCopy(type, checks.Primary, item.Slug, version.ValuesJa, version.ValuesEn, (await auditContext.GetActorAsync()).Name, now);
        ContentItemStore.AddVersion(db, item, string.Create(CultureInfo.InvariantCulture, $"restore of {number}"), now);
        if (await ContentItemStore.SaveAsync(db, item, cancellationToken) is { Succeeded: false } failed)
        {
            return failed.As<ContentItem>();
        }
        var changes = ContentItemStore.Diff("ja", beforeJa, ContentValues.Parse(item.ValuesJa))
            .Concat(ContentItemStore.Diff("en", beforeEn, ContentValues.Parse(item.ValuesEn))).ToList();
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentVersionRestored, AuditEntityTypes.ContentItem, item.Id.ToString(),
            ContentAudit.Item(item, ("restored", number.ToString(CultureInfo.InvariantCulture)), ("version", item.VersionCount.ToString(CultureInfo.InvariantCulture))),
            AuditOutcome.Success, changes), cancellationToken);
        return Result.Ok(item);
    }
}
