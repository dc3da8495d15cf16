using Kuroco.Core.Backups;

namespace Kuroco.Infrastructure.Jobs;

/// <summary>Progress a running job reports: a step code (localized by the page) and a fraction 0..1.</summary>
internal sealed record JobProgress(string Step, double Fraction);

/// <summary>
/// Where the jobs screen finds the progress of a running job of one kind: the job records it somewhere of its own (the
/// backup run in the BackupRuns table, the full restore in its run file). A job that records none shows no bar.
/// </summary>
internal interface IJobProgressSource
{
    bool Covers(Type jobType);

    Task<JobProgress?> GetAsync(CancellationToken cancellationToken);
}

/// <summary>The backup job's progress: the active run's last reported step and fraction.</summary>
internal sealed class BackupRunProgressSource(IBackupRunReader runs) : IJobProgressSource
{
    public bool Covers(Type jobType) => jobType == typeof(Backups.BackupJob);

    public async Task<JobProgress?> GetAsync(CancellationToken cancellationToken)
    {
        var active = (await runs.RecentAsync(5, cancellationToken)).FirstOrDefault(r => r.Status == BackupRunStatus.Running);
        return active is null ? null : new JobProgress("backup." + (active.Step ?? "start"), active.Fraction);
    }
}

/// <summary>The full restore's progress: its running step and fraction.</summary>
internal sealed class FullRestoreProgressSource(IFullRestoreService restores) : IJobProgressSource
{
    public bool Covers(Type jobType) => jobType == typeof(Backups.FullRestore.FullRestoreJob);

    public async Task<JobProgress?> GetAsync(CancellationToken cancellationToken)
    {
        var run = await restores.GetAsync(cancellationToken);
        if (run is not { Status: FullRestoreStatus.Running })
        {
            return null;
        }
        var step = run.Steps.FirstOrDefault(s => s.Status == FullRestoreStepStatus.Running)?.Code ?? "start";
        return new JobProgress("restore." + step, run.Fraction);
    }
}
