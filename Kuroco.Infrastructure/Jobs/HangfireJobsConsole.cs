using System.Globalization;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Jobs;

namespace Kuroco.Infrastructure.Jobs;

/// <summary>
/// The /jobs screen's reader and its two actions, on Hangfire's storage connection (recurring jobs) and monitoring API
/// (failed and processing jobs, a job's state history for the last run's outcome and duration). Progress comes from the
/// <see cref="IJobProgressSource"/>s of the jobs that record it. Retry and "Run now" are audited.
/// </summary>
internal sealed class HangfireJobsConsole(
    JobStorage storage,
    IBackgroundJobClient client,
    IRecurringJobManager recurring,
    IEnumerable<IJobProgressSource> progressSources,
    IAuditLog auditLog) : IJobsConsole
{
    public async Task<JobsOverview> GetOverviewAsync(int failedCount, CancellationToken cancellationToken)
    {
        var monitoring = storage.GetMonitoringApi();
        List<RecurringJobDto> recurringJobs;
        using (var connection = storage.GetConnection())
        {
            recurringJobs = connection.GetRecurringJobs();
        }
        var summaries = recurringJobs.OrderBy(j => j.Id, StringComparer.Ordinal).Select(j => Summarize(j, monitoring)).ToList();

        var failed = monitoring.FailedJobs(0, Math.Max(1, failedCount))
            .Where(p => p.Value is { InFailedState: true })
            .Select(p => new FailedJobSummary(p.Key, RecurringIdOf(monitoring, p.Key), MethodOf(p.Value.Job), p.Value.FailedAt,
                ShortType(p.Value.ExceptionType), JobErrorText.Summarize(p.Value.ExceptionMessage)))
            .ToList();

        var running = new List<RunningJobSummary>();
        foreach (var (id, job) in monitoring.ProcessingJobs(0, 50).Where(p => p.Value is { InProcessingState: true }))
        {
            JobProgress? progress = null;
            if (job.Job?.Type is { } type && progressSources.FirstOrDefault(s => s.Covers(type)) is { } source)
            {
                progress = await source.GetAsync(cancellationToken);
            }
            running.Add(new RunningJobSummary(id, RecurringIdOf(monitoring, id), MethodOf(job.Job), job.StartedAt, progress?.Step, progress?.Fraction));
        }
        var statistics = monitoring.GetStatistics();
        return new JobsOverview(summaries, failed, statistics.Failed, running, statistics.Enqueued, statistics.Succeeded);
    }

    public async Task<Result> RetryAsync(string jobId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(jobId) || storage.GetMonitoringApi().JobDetails(jobId) is not { } details)
        {
            return Result.NotFound(CoreMessages.Get("Jobs.NotFound"));
        }
        // Only from the Failed state: a job that was retried meanwhile (or deleted) is left as it is.
        if (!client.ChangeState(jobId, new EnqueuedState(), FailedState.StateName))
        {
            return Result.NotFound(CoreMessages.Get("Jobs.NotFailed"));
        }
        var recurringId = RecurringId(details);
        await auditLog.WriteAsync(new AuditRecord(AuditActions.JobRetried, AuditEntityTypes.BackgroundJob, jobId,
            AuditParameters.Of(("job", recurringId ?? MethodOf(details.Job)))), cancellationToken);
        return Result.Success;
    }

    public async Task<Result<string>> TriggerAsync(string recurringJobId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(recurringJobId))
        {
            return Result<string>.NotFound(CoreMessages.Get("Jobs.NotFound"));
        }
        using (var connection = storage.GetConnection())
        {
            if (connection.GetRecurringJobs([recurringJobId]).FirstOrDefault() is not { Removed: false })
            {
                return Result<string>.NotFound(CoreMessages.Get("Jobs.NotFound"));
            }
        }
        // RecurringJobManager implements V2, whose TriggerJob returns the id of the job it created.
        var jobId = recurring is IRecurringJobManagerV2 v2 ? v2.TriggerJob(recurringJobId) : null;
        if (jobId is null && recurring is not IRecurringJobManagerV2)
        {
            recurring.Trigger(recurringJobId);
        }
        await auditLog.WriteAsync(new AuditRecord(AuditActions.JobTriggered, AuditEntityTypes.BackgroundJob, recurringJobId,
            AuditParameters.Of(("job", (string?)recurringJobId), ("jobId", jobId ?? "?"))), cancellationToken);
        return Result.Ok(jobId ?? "");
    }

    private static RecurringJobSummary Summarize(RecurringJobDto job, IMonitoringApi monitoring)
    {
        var outcome = OutcomeOf(job.LastJobState);
        TimeSpan? duration = null;
        if (job.LastJobId is { } lastId && monitoring.JobDetails(lastId) is { } details)
        {
            var latest = details.History.FirstOrDefault();
            outcome = OutcomeOf(latest?.StateName ?? job.LastJobState);
            duration = DurationOf(details);
        }
        var error = job.Error ?? (job.LoadException is { } load ? load.Message : null);
        return new RecurringJobSummary(job.Id, job.Cron, job.TimeZoneId ?? "UTC", job.NextExecution, job.LastExecution, job.LastJobId,
            outcome, job.LastJobState, duration, error is null ? null : JobErrorText.Summarize(error));
    }

    /// <summary>Succeeded: the performance duration Hangfire records; failed: from the processing start to the failure.</summary>
    private static TimeSpan? DurationOf(JobDetailsDto details)
    {
        var succeeded = details.History.FirstOrDefault(h => h.StateName == SucceededState.StateName);
        if (succeeded?.Data is { } data && data.TryGetValue("PerformanceDuration", out var ms)
            && long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        var processing = details.History.FirstOrDefault(h => h.StateName == ProcessingState.StateName);
        var failed = details.History.FirstOrDefault(h => h.StateName == FailedState.StateName);
        return processing is not null && failed is not null && failed.CreatedAt >= processing.CreatedAt ? failed.CreatedAt - processing.CreatedAt : null;
    }

    private static JobOutcome OutcomeOf(string? state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return JobOutcome.None;
        }
        (string Name, JobOutcome Outcome)[] known =
        [
            (SucceededState.StateName, JobOutcome.Succeeded),
            (FailedState.StateName, JobOutcome.Failed),
            (ProcessingState.StateName, JobOutcome.Processing),
            (EnqueuedState.StateName, JobOutcome.Enqueued),
            (AwaitingState.StateName, JobOutcome.Enqueued),
            (ScheduledState.StateName, JobOutcome.Scheduled),
            (DeletedState.StateName, JobOutcome.Deleted),
        ];
        return known.FirstOrDefault(k => string.Equals(k.Name, state, StringComparison.OrdinalIgnoreCase)) is { Name: not null } match
            ? match.Outcome
            : JobOutcome.Other;
    }

    private static string? RecurringIdOf(IMonitoringApi monitoring, string jobId) =>
        monitoring.JobDetails(jobId) is { } details ? RecurringId(details) : null;

    /// <summary>The "RecurringJobId" parameter Hangfire sets on a job a recurring job created (stored as JSON: a quoted string).</summary>
    private static string? RecurringId(JobDetailsDto details) =>
        details.Properties is { } properties && properties.TryGetValue("RecurringJobId", out var raw) && !string.IsNullOrEmpty(raw)
            ? raw.Trim('"')
            : null;

    private static string MethodOf(Hangfire.Common.Job? job) => job is null ? "?" : job.Type.Name + "." + job.Method.Name;

    private static string? ShortType(string? exceptionType) =>
        exceptionType is null ? null : exceptionType[(exceptionType.LastIndexOf('.') + 1)..];
}
