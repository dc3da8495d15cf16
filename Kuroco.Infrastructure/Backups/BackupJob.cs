using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Jobs;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Backups;

/// <summary>
/// The backup as a Hangfire job: the nightly recurring run (<see cref="NightlyAsync"/>) and "Back up now"
/// (<see cref="RunAsync"/>, for a run recorded by <see cref="BackupRunner"/>). Each run's row gets its progress (at most
/// once per second, and a heartbeat at least every 15 s) and its outcome. Never retried automatically: a failed night
/// shows as failed.
/// </summary>
public sealed class BackupJob(IBackupService backups, IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock)
{
    /// <summary>The error code of a run that succeeded on some stores only, followed by the failed ones ("partial:S3").</summary>
    public const string PartialCode = "partial:";

    [AutomaticRetry(Attempts = 0)]
    public async Task NightlyAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var run = new BackupRunRow
        {
            Id = Guid.NewGuid(), Trigger = BackupTrigger.Nightly, Status = BackupRunStatus.Queued, QueuedAtUtc = now, HeartbeatAtUtc = now,
            RequestedBy = AuditActor.System.Name,
        };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.Set<BackupRunRow>().Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }
        await RunAsync(run.Id, cancellationToken);
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid runId, CancellationToken cancellationToken)
    {
        BackupTrigger trigger;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await MarkInterruptedAsync(db, runId, cancellationToken);
            var run = await db.Set<BackupRunRow>().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (run is null || run.Status != BackupRunStatus.Queued)
            {
                return;
            }
            trigger = run.Trigger;
            var now = clock.GetUtcNow().UtcDateTime;
            run.Status = BackupRunStatus.Running;
            run.StartedAtUtc = now;
            run.HeartbeatAtUtc = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        await using var progress = new RunProgress(contexts, runId, clock);
        Result<BackupManifest> result;
        try
        {
            result = await backups.BackUpAsync(trigger, progress, cancellationToken);
        }
        catch (Exception ex)
        {
            await progress.DisposeAsync();
            await FinishAsync(runId, BackupRunStatus.Failed, null, ex is OperationCanceledException ? "cancelled" : "error", ex.GetType().Name + ": " + ex.Message);
            throw;
        }
        await progress.DisposeAsync();
        if (result.TryGetValue(out var manifest))
        {
            // Kept, but not everywhere (Storage=Both with S3 down): a success that names the failed store ("partial:S3"),
            // which the nightly alarm reports as that store's failure.
            var failed = progress.FailedStores;
            await FinishAsync(runId, BackupRunStatus.Succeeded, manifest.Id,
                failed.Count == 0 ? null : PartialCode + string.Join(",", failed.Select(f => f.Location)),
                failed.Count == 0 ? null : string.Join("; ", failed.Select(f => f.Location + ": " + f.Message)));
        }
        else
        {
            var code = (result.ErrorData as BackupFailure)?.Code ?? "error";
            await FinishAsync(runId, BackupRunStatus.Failed, null, code, result.Message);
        }
    }

    /// <summary>Rows still queued or running whose job stopped giving signs of life (the process died) become Interrupted.</summary>
    private async Task MarkInterruptedAsync(KurocoDbContext db, Guid except, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var active = await db.Set<BackupRunRow>()
            .Where(r => r.Id != except && (r.Status == BackupRunStatus.Queued || r.Status == BackupRunStatus.Running))
            .ToListAsync(cancellationToken);
        foreach (var row in active.Where(r => r.ToInfo(now).Status == BackupRunStatus.Interrupted))
        {
            row.Status = BackupRunStatus.Interrupted;
            row.ErrorCode = "interrupted";
            row.FinishedAtUtc ??= row.HeartbeatAtUtc;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task FinishAsync(Guid runId, BackupRunStatus status, string? generationId, string? code, string? message)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        var run = await db.Set<BackupRunRow>().FirstAsync(r => r.Id == runId, CancellationToken.None);
        var now = clock.GetUtcNow().UtcDateTime;
        run.Status = status;
        run.FinishedAtUtc = now;
        run.HeartbeatAtUtc = now;
        run.GenerationId = generationId;
        run.ErrorCode = code;
        run.ErrorMessage = message is { Length: > BackupRunRow.ErrorMaxLength } ? message[..BackupRunRow.ErrorMaxLength] : message;
        if (status == BackupRunStatus.Succeeded)
        {
            run.Step = "done";
            run.Fraction = 1;
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Keeps the latest progress and writes it to the run's row at most once per second (and a heartbeat every 15 s).</summary>
    private sealed class RunProgress : IProgress<BackupProgress>, IBackupStoreFailureObserver, IAsyncDisposable
    {
        private readonly List<(BackupLocation Location, string Message)> failedStores = [];
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
        private readonly IDbContextFactory<KurocoDbContext> contexts;
        private readonly Guid runId;
        private readonly TimeProvider clock;
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;
        private BackupProgress? latest;
        private BackupProgress? written;
        private DateTimeOffset lastWrite;

        public RunProgress(IDbContextFactory<KurocoDbContext> contexts, Guid runId, TimeProvider clock)
        {
            this.contexts = contexts;
            this.runId = runId;
            this.clock = clock;
            lastWrite = clock.GetUtcNow();
            loop = Task.Run(LoopAsync);
        }

        public void Report(BackupProgress value) => Volatile.Write(ref latest, value);

        public IReadOnlyList<(BackupLocation Location, string Message)> FailedStores
        {
            get
            {
                lock (failedStores)
                {
                    return [.. failedStores.DistinctBy(f => f.Location)];
                }
            }
        }

        public void StoreFailed(BackupLocation location, string message)
        {
            lock (failedStores)
            {
                failedStores.Add((location, message));
            }
        }

        private async Task LoopAsync()
        {
            using var timer = new PeriodicTimer(Interval, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    await WriteAsync(stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task WriteAsync(CancellationToken cancellationToken)
        {
            var current = Volatile.Read(ref latest);
            var now = clock.GetUtcNow();
            if (current == written && now - lastWrite < Heartbeat)
            {
                return;
            }
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                await db.Set<BackupRunRow>().Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.Step, current == null ? null : current.Step)
                    .SetProperty(r => r.Fraction, current == null ? 0 : current.Fraction)
                    .SetProperty(r => r.HeartbeatAtUtc, now.UtcDateTime), cancellationToken);
                written = current;
                lastWrite = now;
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // A busy database delays the progress line, never the backup.
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!stop.IsCancellationRequested)
            {
                await stop.CancelAsync();
                await loop;
                stop.Dispose();
            }
        }
    }
}

/// <summary>"Back up now": one active run at a time; records the run, queues <see cref="BackupJob.RunAsync"/>, audits the request.</summary>
internal sealed class BackupRunner(
    KurocoDbContext db, IJobScheduler scheduler, IAuditLog audit, IAuditContext auditContext, TimeProvider clock) : IBackupRunner
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<Result<Guid>> StartNowAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var active = await db.Set<BackupRunRow>().AsNoTracking()
                .Where(r => r.Status == BackupRunStatus.Queued || r.Status == BackupRunStatus.Running)
                .ToListAsync(cancellationToken);
            if (active.Any(r => r.ToInfo(now).IsActive))
            {
                return Result<Guid>.Conflict(BackupMessages.Get("Backup.AlreadyRunning"), new BackupFailure("running"));
            }
            var actor = await auditContext.GetActorAsync();
            var run = new BackupRunRow
            {
                Id = Guid.NewGuid(), Trigger = BackupTrigger.Manual, Status = BackupRunStatus.Queued, QueuedAtUtc = now, HeartbeatAtUtc = now,
                RequestedBy = actor.Name,
            };
            db.Set<BackupRunRow>().Add(run);
            await db.SaveChangesAsync(cancellationToken);
            scheduler.Enqueue<BackupJob>(job => job.RunAsync(run.Id, CancellationToken.None));
            await audit.WriteAsync(new AuditRecord(AuditActions.BackupRequested, AuditEntityTypes.Backup, null,
                AuditParameters.Of(("run", run.Id.ToString("D")))), cancellationToken);
            return Result.Ok(run.Id);
        }
        finally
        {
            Gate.Release();
        }
    }
}

internal sealed class BackupRunReader(KurocoDbContext db, TimeProvider clock) : IBackupRunReader
{
    public async Task<IReadOnlyList<BackupRunInfo>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        var rows = await db.Set<BackupRunRow>().AsNoTracking().OrderByDescending(r => r.QueuedAtUtc)
            .Take(Math.Clamp(count, 1, 500)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return [.. rows.Select(r => r.ToInfo(now))];
    }

    public async Task<BackupRunInfo?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        var row = await db.Set<BackupRunRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        return row?.ToInfo(clock.GetUtcNow().UtcDateTime);
    }
}
