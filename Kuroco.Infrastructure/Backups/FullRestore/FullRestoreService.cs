using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Jobs;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Backups.FullRestore;

/// <summary>The request and confirmation of a full restore (see <see cref="IFullRestoreService"/>); the work is <see cref="FullRestoreJob"/>.</summary>
internal sealed class FullRestoreService(
    FullRestoreRunFile runs,
    IBackupService backups,
    IDbContextFactory<KurocoDbContext> contexts,
    IJobScheduler scheduler,
    IAuditLog auditLog,
    IAuditContext auditContext,
    TimeProvider clock) : IFullRestoreService
{
    public Task<FullRestoreRun?> GetAsync(CancellationToken cancellationToken)
    {
        var run = runs.Read();
        if (run is { Status: FullRestoreStatus.Pending } && run.ExpiresAtUtc <= clock.GetUtcNow())
        {
            run = run with { Status = FullRestoreStatus.Expired };
        }
        return Task.FromResult(run);
    }

    public async Task<Result<FullRestoreRun>> RequestAsync(string generationId, string typedConfirmation, CancellationToken cancellationToken)
    {
        var actor = await auditContext.GetActorAsync();
        if (actor.UserId is null || !actor.Roles.Contains(StaffRoles.Administrator, StringComparer.Ordinal))
        {
            return Result<FullRestoreRun>.Failure(ErrorKind.Forbidden, FullRestoreMessages.Get("FullRestore.AdministratorsOnly"));
        }
        if (string.IsNullOrWhiteSpace(generationId) || !string.Equals(generationId, typedConfirmation?.Trim(), StringComparison.Ordinal))
        {
            return Result.Invalid([new FieldError("Confirmation", FullRestoreMessages.Get("FullRestore.TypeGenerationId"))]).As<FullRestoreRun>();
        }
        var generation = (await backups.ListAsync(cancellationToken)).FirstOrDefault(g => g.Manifest.Id == generationId);
        if (generation is null)
        {
            return Result<FullRestoreRun>.Failure(ErrorKind.NotFound, FullRestoreMessages.Format("FullRestore.UnknownGeneration", generationId));
        }
        var problem = await CheckRestorableAsync(generation.Manifest, cancellationToken);
        if (problem is not null)
        {
            return Result<FullRestoreRun>.Failure(ErrorKind.Validation, problem);
        }
        var now = clock.GetUtcNow();
        var run = new FullRestoreRun(
            Guid.NewGuid().ToString("N")[..12], generationId, actor.UserId, actor.Name, now, now + FullRestoreRun.ConfirmationWindow,
            FullRestoreStatus.Pending, null, null, null,
            [.. FullRestoreSteps.All.Select(s => new FullRestoreStep(s, FullRestoreStepStatus.Waiting, null, null, null))],
            0, null, null, false, null);
        if (runs.WriteUnless(run, r => r.IsActive(now)) is not null)
        {
            return Result<FullRestoreRun>.Failure(ErrorKind.Conflict, FullRestoreMessages.Get("FullRestore.AlreadyActive"));
        }
        await auditLog.WriteAsync(new AuditRecord(
            AuditActions.FullRestoreRequested, AuditEntityTypes.FullRestore, run.Id,
            AuditParameters.Of(("generation", generationId), ("expires", Iso(run.ExpiresAtUtc)))), cancellationToken);
        return Result.Ok(run);
    }

    public async Task<Result> ConfirmAsync(string runId, CancellationToken cancellationToken)
    {
        var actor = await auditContext.GetActorAsync();
        if (!MayDecide(actor))
        {
            return Result.Forbidden(FullRestoreMessages.Get("FullRestore.ConfirmersOnly"));
        }
        var run = await GetAsync(cancellationToken);
        if (run is null || run.Id != runId)
        {
            return Result.NotFound(FullRestoreMessages.Get("FullRestore.NotFound"));
        }
        if (run.Status != FullRestoreStatus.Pending)
        {
            return Result.Conflict(FullRestoreMessages.Get("FullRestore.NotPending"));
        }
        if (string.Equals(run.RequestedById, actor.UserId, StringComparison.Ordinal))
        {
            await auditLog.WriteAsync(new AuditRecord(
                AuditActions.FullRestoreConfirmationRefused, AuditEntityTypes.FullRestore, run.Id,
                AuditParameters.Of(("generation", run.GenerationId), ("problem", "same-person")), AuditOutcome.Failure), cancellationToken);
            return Result.Forbidden(FullRestoreMessages.Get("FullRestore.SamePerson"));
        }
        var now = clock.GetUtcNow();
        var confirmed = runs.Update(runId, r => r.Status == FullRestoreStatus.Pending && r.ExpiresAtUtc > now
            ? r with { Status = FullRestoreStatus.Running, DecidedById = actor.UserId, DecidedByName = actor.Name, DecidedAtUtc = now }
            : r);
        if (confirmed is not { Status: FullRestoreStatus.Running } || confirmed.DecidedAtUtc != now)
        {
            return Result.Conflict(FullRestoreMessages.Get("FullRestore.NotPending"));
        }
        await auditLog.WriteAsync(new AuditRecord(
            AuditActions.FullRestoreConfirmed, AuditEntityTypes.FullRestore, run.Id,
            AuditParameters.Of(("generation", run.GenerationId), ("requestedBy", run.RequestedByName))), cancellationToken);
        scheduler.Enqueue<FullRestoreJob>(j => j.ExecuteAsync(runId, CancellationToken.None));
        return Result.Success;
    }

    public async Task<Result> RejectAsync(string runId, CancellationToken cancellationToken)
    {
        var actor = await auditContext.GetActorAsync();
        var run = await GetAsync(cancellationToken);
        if (run is null || run.Id != runId)
        {
            return Result.NotFound(FullRestoreMessages.Get("FullRestore.NotFound"));
        }
        var withdraw = actor.UserId is not null && string.Equals(run.RequestedById, actor.UserId, StringComparison.Ordinal);
        if (!withdraw && !MayDecide(actor))
        {
            return Result.Forbidden(FullRestoreMessages.Get("FullRestore.ConfirmersOnly"));
        }
        if (run.Status != FullRestoreStatus.Pending)
        {
            return Result.Conflict(FullRestoreMessages.Get("FullRestore.NotPending"));
        }
        var now = clock.GetUtcNow();
        var status = withdraw ? FullRestoreStatus.Cancelled : FullRestoreStatus.Rejected;
        var decided = runs.Update(runId, r => r.Status == FullRestoreStatus.Pending
            ? r with { Status = status, DecidedById = actor.UserId, DecidedByName = actor.Name, DecidedAtUtc = now, FinishedAtUtc = now }
            : r);
        if (decided?.Status != status)
        {
            return Result.Conflict(FullRestoreMessages.Get("FullRestore.NotPending"));
        }
        await auditLog.WriteAsync(new AuditRecord(
            withdraw ? AuditActions.FullRestoreCancelled : AuditActions.FullRestoreRejected, AuditEntityTypes.FullRestore, run.Id,
            AuditParameters.Of(("generation", run.GenerationId))), cancellationToken);
        return Result.Success;
    }

    /// <summary>Why <paramref name="manifest"/> cannot be restored here automatically (localized), or null.</summary>
    internal async Task<string?> CheckRestorableAsync(BackupManifest manifest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsSqlite() || !string.Equals(manifest.DatabaseProvider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return FullRestoreMessages.Get("FullRestore.SqlServerNotAutomated");
        }
        if (manifest.LastMigrationId is { } migration && !db.Database.GetMigrations().Contains(migration, StringComparer.Ordinal))
        {
            return FullRestoreMessages.Format("FullRestore.NewerSchema", migration);
        }
        return null;
    }

    private static bool MayDecide(AuditActor actor) =>
        actor.UserId is not null && actor.Roles.Any(r => r is StaffRoles.Administrator or StaffRoles.Operator);

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
