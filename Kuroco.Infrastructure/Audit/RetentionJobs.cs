using System.Globalization;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Jobs;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Daily: removes audit entries older than the retention (see <see cref="AuditRetentionPurge"/>). A broken chain
/// refuses the purge, which is audited and mailed to the security officers like a break found by the nightly check.
/// Idempotent: a second run finds nothing older than the cutoff. Afterwards it merges the free-text index's segments.
/// </summary>
public sealed class AuditRetentionPurgeJob(IAuditRetentionPurge purge, AuditIntegrityAlerts alerts, AuditSearchIndexMaintenance searchIndex) : IRecurringJob
{
    public const string JobId = "audit-retention-purge";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var report = await purge.PurgeAsync(cancellationToken);
        if (report is { Outcome: AuditPurgeOutcome.RefusedBrokenChain, Verification: { } broken })
        {
            await alerts.SendAsync(string.Create(CultureInfo.InvariantCulture,
                $"Audit chain broken at entry {broken.FirstBrokenSequence} ({broken.Problem}): the retention purge removed nothing."),
                cancellationToken);
        }
        // Then tidy the free-text index, which appends leave unmerged (AuditSearchIndexMaintenance).
        await searchIndex.MergeAsync(cancellationToken);
    }

    /// <summary>Schedules the purge (called once from the recurring-jobs registrar).</summary>
    public static void Register(IRecurringJobManager manager, string cron, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<AuditRetentionPurgeJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), cron,
            new RecurringJobOptions { TimeZone = zone });
    }
}

/// <summary>
/// "Verify now" from the console: verifies the chain in a background job (not in the page's circuit), storing the
/// progress in its run row after each batch so that any page, after a reload or on another instance, shows it. The
/// progress write is the run's heartbeat, and the row names the process running it (<see cref="AuditVerificationRunner"/>),
/// so a run whose process died reads as interrupted. The result is audited like the nightly check's, and a break is
/// mailed to the security officers.
/// </summary>
public sealed partial class AuditVerificationJob(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditReader reader,
    IAuditLog auditLog,
    AuditIntegrityAlerts alerts,
    AuditVerificationRunner runner,
    TimeProvider clock,
    ILogger<AuditVerificationJob> logger)
{
    /// <summary>How often progress is written at most: a fast check of a long log would otherwise write for every batch.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    public async Task ExecuteAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.AuditVerificationRuns.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status is not (AuditVerificationStatus.Queued or AuditVerificationStatus.Running))
        {
            // Already finished or interrupted (the job runner may run a job twice, or again after a restart).
            return;
        }
        run.Status = AuditVerificationStatus.Running;
        run.StartedAtUtc = run.UpdatedAtUtc = Now();
        run.RunnerInstance = runner.Instance;
        run.RunnerProcess = runner.Process;
        run.CheckedEntries = 0;
        await db.SaveChangesAsync(cancellationToken);
        var lastWrite = clock.GetTimestamp();
        AuditChainVerification result;
        try
        {
            result = await reader.VerifyChainAsync(async (progress, ct) =>
            {
                run.CheckedEntries = progress.Checked;
                run.TotalEntries = progress.Total;
                if (clock.GetElapsedTime(lastWrite) >= ProgressInterval)
                {
                    run.UpdatedAtUtc = Now();
                    await db.SaveChangesAsync(ct);
                    lastWrite = clock.GetTimestamp();
                }
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, runId, ex);
            run.Status = AuditVerificationStatus.Failed;
            run.FinishedAtUtc = run.UpdatedAtUtc = Now();
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }

        run.Status = result.IsIntact ? AuditVerificationStatus.Intact : AuditVerificationStatus.Broken;
        run.CheckedEntries = result.EntriesChecked;
        run.TotalEntries = Math.Max(run.TotalEntries, result.EntriesChecked);
        run.Problem = result.Problem;
        run.FirstBrokenSequence = result.FirstBrokenSequence;
        run.FinishedAtUtc = run.UpdatedAtUtc = Now();
        await db.SaveChangesAsync(cancellationToken);

        if (result.IsIntact)
        {
            await auditLog.WriteAsync(new AuditRecord(AuditActions.AuditChainVerified, "AuditLog", null,
                AuditParameters.Of(("entries", result.EntriesChecked.ToString(CultureInfo.InvariantCulture)))),
                cancellationToken);
            return;
        }
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Audit chain verified on request of {run.RequestedBy}: broken at entry {result.FirstBrokenSequence} ({result.Problem}).");
        await auditLog.WriteAsync(new AuditRecord(AuditActions.AuditChainBroken, "AuditLog",
            result.FirstBrokenSequence?.ToString(CultureInfo.InvariantCulture),
            AuditParameters.Of(
                ("sequence", result.FirstBrokenSequence?.ToString(CultureInfo.InvariantCulture)),
                ("problem", result.Problem.ToString())),
            AuditOutcome.Failure), cancellationToken);
        await alerts.SendAsync(summary, cancellationToken);
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit verification run {RunId} failed.")]
    private static partial void LogFailed(ILogger logger, Guid runId, Exception exception);
}

/// <summary>Queues "Verify now" runs through <see cref="IJobScheduler"/> and reads their stored progress.</summary>
internal sealed class AuditVerificationRuns(
    IDbContextFactory<KurocoDbContext> contexts,
    IJobScheduler jobs,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IAuditVerificationRuns
{
    /// <summary>
    /// A running job writes its progress (the heartbeat) at least after every batch, i.e. within seconds: a run silent
    /// for this long lost its process, reads as interrupted, and a new one may start.
    /// </summary>
    internal static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A queued run no job picked up for this long (the queue was lost, or busy): interrupted too.</summary>
    internal static readonly TimeSpan QueuedTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Whether a queued or running run lost its process by <paramref name="nowUtc"/> (its heartbeat stopped).</summary>
    internal static bool IsLost(AuditVerificationRunRow run, DateTime nowUtc) => run.Status switch
    {
        AuditVerificationStatus.Running => run.UpdatedAtUtc <= nowUtc - HeartbeatTimeout,
        AuditVerificationStatus.Queued => run.UpdatedAtUtc <= nowUtc - QueuedTimeout,
        _ => false,
    };

    public async Task<AuditVerificationRun> StartAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.AuditVerificationRuns
            .Where(r => r.Status == AuditVerificationStatus.Queued || r.Status == AuditVerificationStatus.Running)
            .OrderByDescending(r => r.RequestedAtUtc)
            .ToListAsync(cancellationToken);
        if (unfinished.FirstOrDefault(r => !IsLost(r, now)) is { } active)
        {
            return active.ToRun();
        }
        foreach (var lost in unfinished)
        {
            // Stored as interrupted, so a job that comes back for it (the runner retries after a restart) leaves it.
            lost.Status = AuditVerificationStatus.Interrupted;
            lost.FinishedAtUtc = now;
        }
        var actor = await auditContext.GetActorAsync();
        var row = new AuditVerificationRunRow
        {
            Id = Guid.NewGuid(),
            Status = AuditVerificationStatus.Queued,
            RequestedAtUtc = now,
            UpdatedAtUtc = now,
            RequestedBy = actor.Name.Length <= AuditEntry.ActorNameMaxLength ? actor.Name : actor.Name[..AuditEntry.ActorNameMaxLength],
        };
        db.AuditVerificationRuns.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.AuditVerificationRequested, "AuditLog", row.Id.ToString(),
            AuditParameters.Of()), cancellationToken);
        var runId = row.Id;
        jobs.Enqueue<AuditVerificationJob>(job => job.ExecuteAsync(runId, CancellationToken.None));
        return row.ToRun();
    }

    public async Task<AuditVerificationRun?> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.AuditVerificationRuns.AsNoTracking()
            .OrderByDescending(r => r.RequestedAtUtc)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null
            : IsLost(row, clock.GetUtcNow().UtcDateTime) ? row.ToRun(AuditVerificationStatus.Interrupted)
            : row.ToRun();
    }
}

/// <summary>Registers the audit retention purge, its setting and "Verify now".</summary>
internal static class AuditRetentionServiceCollectionExtensions
{
    public static IServiceCollection AddAuditRetention(this IServiceCollection services)
    {
        services.AddScoped<AuditIntegrityAlerts>();
        services.AddScoped<IAuditRetentionStore, AuditRetentionStore>();
        services.AddScoped<IAuditRetentionPurge, AuditRetentionPurge>();
        services.AddScoped<IAuditVerificationRuns, AuditVerificationRuns>();
        services.AddScoped<AuditRetentionPurgeJob>();
        services.AddScoped<AuditSearchIndexMaintenance>();
        services.AddScoped<AuditVerificationJob>();
        services.AddSingleton<AuditVerificationRunner>();
        services.AddHostedService<AuditVerificationRecovery>();
        return services;
    }
}
