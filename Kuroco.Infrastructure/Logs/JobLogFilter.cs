using System.Diagnostics;
using Hangfire.Common;
using Hangfire.Server;
using Kuroco.Core.Logs;

namespace Kuroco.Infrastructure.Logs;

/// <summary>
/// The job log: every Hangfire run (each retry too) with its job, outcome and duration, and the error when it
/// failed. A server filter of this app's Hangfire server (through <see cref="JobLogFilterProvider"/>, not the
/// process-wide global filters, so two hosts in one process do not log each other's jobs).
/// </summary>
public sealed class JobLogFilter(ILogWriter writer, TimeProvider clock) : IServerFilter
{
    public const int ErrorMaxLength = 4_000;
    private const string StartedKey = "Kuroco.ServerLog.Started";

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = context.Items.TryGetValue(StartedKey, out var value) && value is long ticks ? ticks : Stopwatch.GetTimestamp();
        var duration = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var outcome = context.Canceled ? "Canceled" : context.Exception is null ? "Succeeded" : "Failed";
        var error = context.Exception is { } ex ? Describe(ex) : null;
        writer.TryWrite(new JobLogEntry(clock.GetUtcNow(), context.BackgroundJob.Id, Name(context.BackgroundJob.Job), outcome, duration, error));
    }

    public static string Name(Job? job) => job is null ? "?" : $"{job.Type.Name}.{job.Method.Name}";

    private static string Describe(Exception exception)
    {
        // Hangfire wraps the job's own exception.
        var inner = exception is JobPerformanceException { InnerException: { } cause } ? cause : exception;
        var text = $"{inner.GetType().Name}: {inner.Message}";
        return text.Length > ErrorMaxLength ? text[..ErrorMaxLength] : text;
    }
}

/// <summary>Hangfire's filters plus this app's <see cref="JobLogFilter"/>.</summary>
public sealed class JobLogFilterProvider(Hangfire.Common.IJobFilterProvider inner, JobLogFilter filter) : Hangfire.Common.IJobFilterProvider
{
    public IEnumerable<JobFilter> GetFilters(Job job) =>
        inner.GetFilters(job).Append(new JobFilter(filter, JobFilterScope.Global, null));
}
