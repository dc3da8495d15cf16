using Kuroco.Core.Common;

namespace Kuroco.Core.Jobs;

/// <summary>How a job's last (or current) run ended, as the console shows it.</summary>
public enum JobOutcome
{
    /// <summary>Never ran (or its run is gone from the job store).</summary>
    None,

    Succeeded,

    Failed,

    Processing,

    Enqueued,

    Scheduled,

    Deleted,

    /// <summary>A state the console does not name (shown by its Hangfire name).</summary>
    Other,
}

/// <summary>
/// One recurring job: its id (the key of its human name), its cron and zone, the next and last run (UTC), the last
/// run's outcome and duration, and the error that stops it from being scheduled (a missing type, a bad cron).
/// </summary>
public sealed record RecurringJobSummary(
    string Id,
    string Cron,
    string TimeZoneId,
    DateTime? NextRunUtc,
    DateTime? LastRunUtc,
    string? LastJobId,
    JobOutcome LastOutcome,
    string? LastStateName,
    TimeSpan? LastDuration,
    string? Error);

/// <summary>
/// A failed background job: its id (for Retry), the recurring job it came from (when it did), the method it runs
/// ("BackupJob.NightlyAsync"), when it failed, and the exception's type and first lines of its message (never a stack
/// trace, never a connection string: see <see cref="JobErrorText"/>).
/// </summary>
public sealed record FailedJobSummary(
    string JobId,
    string? RecurringJobId,
    string Method,
    DateTime? FailedAtUtc,
    string? ExceptionType,
    string Message);

/// <summary>
/// A job being processed now: what it runs, since when, and the progress it reports (a step code and a fraction 0..1)
/// where the job records one (the backup run and the full restore do).
/// </summary>
public sealed record RunningJobSummary(
    string JobId,
    string? RecurringJobId,
    string Method,
    DateTime? StartedAtUtc,
    string? ProgressStep,
    double? ProgressFraction);

/// <summary>Everything the /jobs screen shows, read in one go.</summary>
public sealed record JobsOverview(
    IReadOnlyList<RecurringJobSummary> Recurring,
    IReadOnlyList<FailedJobSummary> Failed,
    long FailedTotal,
    IReadOnlyList<RunningJobSummary> Running,
    long EnqueuedTotal,
    long SucceededTotal);

/// <summary>
/// The console's jobs screen: reads the job store (Hangfire's monitoring API) and lets an operator retry a failed job or
/// run a recurring job now. Implemented in Kuroco.Infrastructure/Jobs.
/// </summary>
public interface IJobsConsole
{
    /// <summary>Recurring jobs (by id), up to <paramref name="failedCount"/> newest failed jobs and every running job.</summary>
    Task<JobsOverview> GetOverviewAsync(int failedCount, CancellationToken cancellationToken);

    /// <summary>Puts a failed job back in its queue. <see cref="ErrorKind.NotFound"/> when it is not (or no longer) failed. Audited (job.retried).</summary>
    Task<Result> RetryAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Runs a recurring job now, besides its schedule; the value is the new job's id. <see cref="ErrorKind.NotFound"/> for an unknown id. Audited (job.triggered).</summary>
    Task<Result<string>> TriggerAsync(string recurringJobId, CancellationToken cancellationToken);
}

/// <summary>What of an exception's message the console shows: the first lines, with anything that looks like a secret masked.</summary>
public static class JobErrorText
{
    public const int MaxLines = 3;
    public const int MaxLength = 500;

    private static readonly string[] SecretKeys =
        ["password", "pwd", "secret", "apikey", "api_key", "api-key", "token", "accountkey", "sharedaccesskey", "access_key", "accesskey"];

    /// <summary>The first <see cref="MaxLines"/> non-empty lines, at most <see cref="MaxLength"/> characters, with "key=value" secrets masked.</summary>
    public static string Summarize(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "";
        }
        var lines = message.Split('\n').Select(l => l.TrimEnd('\r').Trim()).Where(l => l.Length > 0)
            // A stack trace is never shown, even when an exception's message carries one.
            .TakeWhile(l => !l.StartsWith("at ", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal))
            .Take(MaxLines)
            .Select(Mask);
        var text = string.Join(Environment.NewLine, lines);
        return text.Length > MaxLength ? text[..MaxLength] + "…" : text;
    }

    /// <summary>Masks the value of every "key=value" or "key: value" pair whose key names a secret, up to the next ';', space, '&amp;' or quote.</summary>
    public static string Mask(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        foreach (var key in SecretKeys)
        {
            var start = 0;
            while ((start = line.IndexOf(key, start, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                var at = start + key.Length;
                while (at < line.Length && line[at] == ' ')
                {
                    at++;
                }
                if (at < line.Length && line[at] is '=' or ':')
                {
                    at++;
                    while (at < line.Length && line[at] == ' ')
                    {
                        at++;
                    }
                    var end = at;
                    while (end < line.Length && line[end] is not (';' or ' ' or '&' or '"' or '\'' or ','))
                    {
                        end++;
                    }
                    if (end > at)
                    {
                        line = line[..at] + "***" + line[end..];
                    }
                    start = at + 3;
                }
                else
                {
                    start = at;
                }
            }
        }
        return line;
    }
}
