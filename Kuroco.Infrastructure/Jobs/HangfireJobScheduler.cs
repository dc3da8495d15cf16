using System.Linq.Expressions;
using Hangfire;
using Kuroco.Core.Jobs;

namespace Kuroco.Infrastructure.Jobs;

internal sealed class HangfireJobScheduler(IBackgroundJobClient client) : IJobScheduler
{
    public string Enqueue<TJob>(Expression<Func<TJob, Task>> job) where TJob : notnull => client.Enqueue(job);
}
