using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Backups.Requests;

/// <summary>
/// The extraction and apply jobs of a restore request (queued by <see cref="RestoreRequestService"/>). Each opens the
/// chosen generation with <see cref="IBackupSnapshotOpener"/> (the decrypted copy is always disposed, also after a
/// failure), calls <see cref="IScopedRestoreService"/>, and records the outcome on the request: Extracted with the preview,
/// or Applied with the summary and then the completion mail (Notified). A failure leaves the state as it was, stops the
/// work and puts a clear message on the timeline and in the audit log, so staff can retry. A run for a request that is
/// not waiting for it (a second delivery of the job) does nothing.
/// </summary>
internal sealed partial class RestoreRequestJobs(
    IDbContextFactory<KurocoDbContext> contexts,
    IBackupSnapshotOpener opener,
    IScopedRestoreService restore,
    RestoreRequestMailer mailer,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<RestoreRequestJobs> logger)
{
    public Task ExtractAsync(Guid requestId, CancellationToken cancellationToken) =>
        RunAsync(requestId, RestoreRequestWork.Extracting, "extract", async (db, request) =>
        {
            var opened = await opener.OpenAsync(request.GenerationId!, cancellationToken);
            if (!opened.TryGetValue(out var snapshot))
            {
                return opened.Message;
            }
            // The decrypted copy is deleted before the request says "extracted" (as for apply below).
            RestorePreview value;
            await using (snapshot)
            {
                var scope = ResolveEmails(request.Scope, snapshot);
                var preview = await restore.PreviewAsync(snapshot, scope, cancellationToken);
                if (!preview.TryGetValue(out value!))
                {
                    return preview.Message;
                }
            }
            request.CompleteExtraction(RestoreScopeJson.Write(value), clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(cancellationToken);
            await WriteAsync(AuditActions.RestoreRequestExtracted, request,
                ("generation", request.GenerationId),
                ("records", value.Records.Count.ToString(CultureInfo.InvariantCulture)),
                ("conflicts", value.Records.Count(r => r.Change == RestoreChangeKind.Conflict).ToString(CultureInfo.InvariantCulture)));
            return null;
        }, cancellationToken);

    public Task ApplyAsync(Guid requestId, CancellationToken cancellationToken) =>
        RunAsync(requestId, RestoreRequestWork.Applying, "apply", async (db, request) =>
        {
            var preview = RestoreScopeJson.Read<RestorePreview>(request.PreviewJson)!;
            var resolutions = RestoreScopeJson.Read<Dictionary<string, ConflictResolution>>(request.ResolutionsJson) ?? [];
            var opened = await opener.OpenAsync(preview.GenerationId, cancellationToken);
            if (!opened.TryGetValue(out var snapshot))
            {
                return opened.Message;
            }
            RestoreApplySummary summary;
            await using (snapshot)
            {
                var applied = await restore.ApplyAsync(snapshot, preview, resolutions, request.Reference, cancellationToken);
                if (!applied.TryGetValue(out summary!))
                {
                    return applied.Message;
                }
            }
            request.CompleteApply(RestoreScopeJson.Write(summary), clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(cancellationToken);
            await WriteAsync(AuditActions.RestoreRequestApplied, request,
                ("added", Text(summary.Added)), ("overwritten", Text(summary.Overwritten)), ("unchanged", Text(summary.Unchanged)),
                ("keptLive", Text(summary.KeptLive)), ("renamed", Text(summary.Renamed)));
            await mailer.SendCompletionAsync(request, summary, cancellationToken);
            request.MarkNotified(clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(cancellationToken);
            await WriteAsync(AuditActions.RestoreRequestNotified, request, ("email", request.ContactEmail));
            return null;
        }, cancellationToken);

    /// <summary>
    /// Members asked for by email are looked up in the backup copy (a member deleted since is gone from live data), and
    /// their targets keyed by id; an address the backup does not know stays as it is and the preview reports it.
    /// </summary>
    internal static RestoreScope ResolveEmails(RestoreScope scope, IBackupSnapshot snapshot)
    {
        if (snapshot.DatabasePath is null || !scope.Targets.Any(t => t.Kind == RestoreTargetKind.Member && !Guid.TryParse(t.Key, out _)))
        {
            return scope;
        }
        var builder = new SqliteConnectionStringBuilder { DataSource = snapshot.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var targets = new List<RestoreTarget>();
        foreach (var target in scope.Targets)
        {
            if (target.Kind != RestoreTargetKind.Member || Guid.TryParse(target.Key, out _))
            {
                targets.Add(target);
                continue;
            }
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"Id\" FROM \"Members\" WHERE \"NormalizedEmail\" = $email";
            command.Parameters.AddWithValue("$email", MemberText.NormalizeEmail(target.Key));
            var id = command.ExecuteScalar();
            targets.Add(id is string text && Guid.TryParse(text, out var guid)
                ? new RestoreTarget(RestoreTargetKind.Member, guid.ToString("D"))
                : target);
        }
        return new RestoreScope(targets);
    }

    private async Task RunAsync(Guid requestId, RestoreRequestWork work, string step,
        Func<KurocoDbContext, RestoreRequest, Task<string?>> body, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Set<RestoreRequest>().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null || request.Work != work)
        {
            return;
        }
        string? failure;
        try
        {
            failure = await body(db, request);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, request.Reference, step, ex);
            failure = ex.Message;
        }
        if (failure is null)
        {
            return;
        }
        // Start over from the stored row: the failed attempt may have left tracked changes.
        await using var fresh = await contexts.CreateDbContextAsync(CancellationToken.None);
        var row = await fresh.Set<RestoreRequest>().FirstAsync(r => r.Id == requestId, CancellationToken.None);
        if (row.FailWork(failure, clock.GetUtcNow().UtcDateTime).Succeeded)
        {
            await fresh.SaveChangesAsync(CancellationToken.None);
            await WriteAsync(AuditActions.RestoreRequestFailed, row, ("step", step), ("error", row.LastError));
        }
    }

    private Task WriteAsync(string action, RestoreRequest request, params (string Name, string? Value)[] parameters) =>
        audit.WriteAsync(new AuditRecord(action, AuditEntityTypes.RestoreRequest, request.Reference,
            AuditParameters.Of([("reference", request.Reference), .. parameters]))
        {
            Actor = AuditActor.System,
        }, CancellationToken.None);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restore request {Reference}: the {Step} job failed.")]
    private static partial void LogFailed(ILogger logger, string reference, string step, Exception exception);
}
