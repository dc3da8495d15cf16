using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Who runs a "Verify now" job: this instance (the machine) and this process (one id per app start). Stored on the
/// run, so that after a restart the runs an earlier process of this instance left running are known to be dead.
/// </summary>
public sealed class AuditVerificationRunner
{
    public const int InstanceMaxLength = 200;
    public const int ProcessMaxLength = 32;

    public string Instance { get; } = Environment.MachineName.Length <= InstanceMaxLength
        ? Environment.MachineName : Environment.MachineName[..InstanceMaxLength];

    public string Process { get; } = Guid.NewGuid().ToString("N");
}

/// <summary>
/// At start-up (after the database initializer has migrated): the runs an earlier process of this instance left
/// queued-and-started or running died with it; they are marked interrupted at once, so "Verify now" can start again
/// without waiting for their heartbeat to time out. Runs of other instances are left to their heartbeat.
/// </summary>
internal sealed partial class AuditVerificationRecovery(
    IDbContextFactory<KurocoDbContext> contexts,
    AuditVerificationRunner runner,
    TimeProvider clock,
    ILogger<AuditVerificationRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var count = await InterruptOrphansAsync(cancellationToken);
            if (count > 0)
            {
                LogInterrupted(logger, count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database without the table yet (migrations off) must not stop the console; the heartbeat still applies.
            LogFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Marks the runs left running by an earlier process of this instance as interrupted; returns how many.</summary>
    internal async Task<int> InterruptOrphansAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditVerificationRuns
            .Where(r => r.Status == AuditVerificationStatus.Running && r.RunnerInstance == runner.Instance && r.RunnerProcess != runner.Process)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, AuditVerificationStatus.Interrupted)
                .SetProperty(r => r.FinishedAtUtc, now), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} audit verification run(s) left running by an earlier process of this instance marked interrupted.")]
    private static partial void LogInterrupted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not mark the audit verification runs of an earlier process as interrupted; they time out by their heartbeat.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
