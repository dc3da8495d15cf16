using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Content;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Media;
using Kuroco.Infrastructure.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Backups.ScopedRestore;

/// <summary>
/// Brings back the records of a scope from a backup's SQLite copy (issue 13, "Extraction and preview" and "Apply").
/// <para>
/// What a member brings back: the row (profile, custom field values, status, email verification) and, when the member is
/// added again, its password hash (the customer gets the account they had: the old password works, or "forgot password"),
/// consents and password history. Never brought back: refresh tokens and one-time tokens (sessions and links of that night
/// stay dead), the sign-in history and the lockout counters; the security stamp is always new. Overwriting a member that
/// still exists keeps its live password (a password changed since, maybe after a compromise, is not silently reverted). A
/// member erased on request is never restored (conflict member-erased, KeepLive only). Memberships are added to groups that
/// exist live or come back with the restore; live memberships are never removed.
/// </para>
/// <para>
/// Content comes back as it was (working copy, published copy, status, trash state); its delivery index rows are rebuilt by
/// the normal save path (ContentIndexInterceptor); versions missing live are added; an overwritten item gets one more
/// version noting the restore. Media come back as rows and files (thumbnails are made again on demand).
/// </para>
/// <para>
/// Resolutions: KeepLive skips a record (and its dependants), for any record; Rename gives a new unique email alias
/// ("name+restored@…"), slug ("slug-restored", "slug-restored-2") or group name; TakeBackup is refused for the present
/// conflicts, which all name another live record (or an erasure): free the email, slug or name first, or rename.
/// </para>
/// </summary>
internal sealed partial class ScopedRestoreService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IAuditContext auditContext,
    MemberAuditWriter memberAudit,
    MediaFileStore files,
    ContentChangeNotifier contentChanges,
    ContentTypeChangeNotifier typeChanges,
    TimeProvider clock,
    ILogger<ScopedRestoreService> logger) : IScopedRestoreService
{
    private static readonly JsonSerializerOptions CompareJson = new();

    public async Task<Result<RestorePreview>> PreviewAsync(IBackupSnapshot snapshot, RestoreScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(scope);
        await using var live = await contexts.CreateDbContextAsync(cancellationToken);
        var planned = await PlanAsync(live, snapshot, scope, cancellationToken);
        if (!planned.TryGetValue(out var plan))
        {
            return planned.As<RestorePreview>();
        }
        return Result.Ok(new RestorePreview(snapshot.Manifest.Id, scope, clock.GetUtcNow(), plan.Records));
    }

    public async Task<Result<RestoreApplySummary>> ApplyAsync(IBackupSnapshot snapshot, RestorePreview preview,
        IReadOnlyDictionary<string, ConflictResolution> resolutions, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(preview);
        ArgumentNullException.ThrowIfNull(resolutions);
        if (!string.Equals(preview.GenerationId, snapshot.Manifest.Id, StringComparison.Ordinal))
        {
            return Result<RestoreApplySummary>.Invalid(ScopedRestoreMessages.Format("Restore.OtherGeneration", preview.GenerationId));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var actor = (await auditContext.GetActorAsync()).Name;
        await using var live = await contexts.CreateDbContextAsync(cancellationToken);
        // SQLite: BEGIN IMMEDIATE takes the write lock now, so what is compared below is what gets written.
        await using var transaction = await live.Database.BeginTransactionAsync(cancellationToken);
        var planned = await PlanAsync(live, snapshot, preview.Scope, cancellationToken);
        if (!planned.TryGetValue(out var plan))
        {
            return planned.As<RestoreApplySummary>();
        }
        if (Stale(preview.Records, plan.Records) is { Count: > 0 } changed)
        {
            return Result<RestoreApplySummary>.PreconditionFailed(ScopedRestoreMessages.Format("Restore.PreviewStale", string.Join(", ", changed.Take(5))));
        }
        var decided = Decide(plan.Records, resolutions);
        if (!decided.TryGetValue(out var decisions))
        {
            return decided.As<RestoreApplySummary>();
        }
        var applier = new RestoreApplier(live, plan.Extract, decisions, files, snapshot, reference, actor, now);
        var committed = false;
        try
        {
            var staged = await applier.ApplyAsync(cancellationToken);
            if (!staged.Succeeded)
            {
                return staged.As<RestoreApplySummary>();
            }
            await live.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            committed = true;
        }
        catch (DbUpdateException e)
        {
            LogApplyFailed(logger, reference, e);
            return Result<RestoreApplySummary>.Failure(ErrorKind.Conflict, ScopedRestoreMessages.Format("Restore.ApplyFailed", e.InnerException?.Message ?? e.Message));
        }
        finally
        {
            if (!committed)
            {
                applier.DiscardStagedFiles();
            }
        }
        applier.MoveStagedFiles();
        await AfterCommitAsync(applier, plan, snapshot.Manifest.Id, reference, now, cancellationToken);
        return Result.Ok(applier.Summary(plan.Records));
    }

    private async Task<Result<Plan>> PlanAsync(KurocoDbContext live, IBackupSnapshot snapshot, RestoreScope scope, CancellationToken cancellationToken)
    {
        var opened = await SnapshotDatabase.OpenAsync(snapshot, live, cancellationToken);
        if (!opened.TryGetValue(out var database))
        {
            return opened.As<Plan>();
        }
        await using (database)
        {
            var read = await RestoreExtract.ReadAsync(database.Context, scope, cancellationToken);
            if (!read.TryGetValue(out var extract))
            {
                return read.As<Plan>();
            }
            var records = await new RestorePlanner(live, extract, files).PlanAsync(cancellationToken);
            return Result.Ok(new Plan(extract, records));
        }
    }

    /// <summary>The keys of records that differ between the preview and now (added, gone or changed).</summary>
    private static List<string> Stale(IReadOnlyList<RestoreRecordDiff> preview, IReadOnlyList<RestoreRecordDiff> now)
    {
        var before = preview.GroupBy(r => r.RecordKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => JsonSerializer.Serialize(g.First(), CompareJson), StringComparer.Ordinal);
        var after = now.GroupBy(r => r.RecordKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => JsonSerializer.Serialize(g.First(), CompareJson), StringComparer.Ordinal);
        return [.. before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Where(k => !string.Equals(before.GetValueOrDefault(k), after.GetValueOrDefault(k), StringComparison.Ordinal))];
    }

    /// <summary>What to do with each record: every conflict needs a resolution the conflict allows.</summary>
    private static Result<Dictionary<string, RestoreDecision>> Decide(IReadOnlyList<RestoreRecordDiff> records, IReadOnlyDictionary<string, ConflictResolution> resolutions)
    {
        var decisions = new Dictionary<string, RestoreDecision>(StringComparer.Ordinal);
        var missing = new List<string>();
        var messages = new List<string>();
        foreach (var record in records)
        {
            var chosen = resolutions.TryGetValue(record.RecordKey, out var r) ? r : (ConflictResolution?)null;
            if (record.ParentKey is { } parent && decisions.GetValueOrDefault(parent) == RestoreDecision.Skip && record.EntityType != RestoreEntityTypes.MediaItem)
            {
                decisions[record.RecordKey] = RestoreDecision.Skip;
                continue;
            }
            if (record.Change == RestoreChangeKind.Conflict)
            {
                switch (chosen)
                {
                    case null:
                        missing.Add(record.RecordKey);
                        break;
                    case ConflictResolution.KeepLive:
                        decisions[record.RecordKey] = RestoreDecision.Skip;
                        break;
                    case ConflictResolution.Rename when RestoreConflictCodes.CanRename(record.ConflictCode!):
                        decisions[record.RecordKey] = RestoreDecision.Rename;
                        break;
                    case ConflictResolution.Rename or ConflictResolution.TakeBackup when !RestoreConflictCodes.CanRename(record.ConflictCode!):
                        messages.Add(ScopedRestoreMessages.Format("Restore.KeepLiveOnly", record.RecordKey));
                        break;
                    default:
                        messages.Add(ScopedRestoreMessages.Format("Restore.ResolutionNotAllowed", record.RecordKey));
                        break;
                }
                continue;
            }
            if (chosen == ConflictResolution.Rename)
            {
                messages.Add(ScopedRestoreMessages.Format("Restore.RenameNotApplicable", record.RecordKey));
                continue;
            }
            decisions[record.RecordKey] = chosen == ConflictResolution.KeepLive || record.Change == RestoreChangeKind.Unchanged
                ? (chosen == ConflictResolution.KeepLive ? RestoreDecision.Skip : RestoreDecision.None)
                : RestoreDecision.Apply;
        }
        if (missing.Count > 0)
        {
            messages.Insert(0, ScopedRestoreMessages.Format("Restore.ResolutionMissing", string.Join(", ", missing)));
        }
        return messages.Count > 0 ? Result<Dictionary<string, RestoreDecision>>.Invalid([.. messages]) : Result.Ok(decisions);
    }

    /// <summary>After the commit: an audit entry per restored record, then the change notifications (webhooks, output and type caches).</summary>
    private async Task AfterCommitAsync(RestoreApplier applier, Plan plan, string generation, string reference, DateTime now, CancellationToken cancellationToken)
    {
        var byKey = plan.Records.ToDictionary(r => r.RecordKey, StringComparer.Ordinal);
        foreach (var restored in applier.Restored.Where(r => r.Audited))
        {
            var record = byKey[restored.Key];
            var dependants = applier.Restored.Count(d => byKey[d.Key].ParentKey == restored.Key && byKey[d.Key].EntityType != RestoreEntityTypes.MediaItem);
            var parameters = AuditParameters.Of(
                ("reference", reference),
                ("generation", generation),
                ("record", restored.Key),
                ("restoreChange", restored.Renamed ? "renamed" : record.Change == RestoreChangeKind.Add ? "added" : "overwritten"),
                ("dependants", dependants.ToString(CultureInfo.InvariantCulture)));
            List<FieldChange> changes = record.Change is RestoreChangeKind.Overwrite or RestoreChangeKind.Conflict
                ? [.. record.Fields.Select(f => new FieldChange(f.Field, f.Live, f.Backup))]
                : [];
            if (record.EntityType == RestoreEntityTypes.Member)
            {
                await memberAudit.WriteAsync(AuditActions.RestoreRecordRestored, Guid.Parse(record.EntityId), parameters, changes, cancellationToken);
            }
            else
            {
                await audit.WriteAsync(new AuditRecord(AuditActions.RestoreRecordRestored, record.EntityType, record.EntityId, parameters, changes: changes), cancellationToken);
            }
        }
        foreach (var apiId in applier.ChangedTypes)
        {
            await typeChanges.NotifyAsync(apiId, cancellationToken);
        }
        foreach (var (kind, type, item) in applier.ChangedItems)
        {
            await contentChanges.NotifyAsync(ContentChangeNotifier.ChangeOf(kind, type, item, now), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoped restore {Reference} failed and was rolled back.")]
    private static partial void LogApplyFailed(ILogger logger, string reference, Exception exception);

    internal sealed record Plan(RestoreExtract Extract, List<RestoreRecordDiff> Records);
}

internal enum RestoreDecision
{
    /// <summary>Unchanged: nothing to write.</summary>
    None,
    Apply,
    Rename,
    Skip,
}
