using System.Linq.Expressions;

namespace Kuroco.Core.Jobs;

/// <summary>Domain services ask for background work through this port, never through Hangfire's static API.</summary>
public interface IJobScheduler
{
    /// <summary>Queues <paramref name="job"/> to run once in the background; returns the job id.</summary>
    string Enqueue<TJob>(Expression<Func<TJob, Task>> job) where TJob : notnull;
}

/// <summary>A background job: idempotent, because the job runner promises at-least-once execution.</summary>
public interface IRecurringJob
{
    Task ExecuteAsync(CancellationToken cancellationToken);
}
