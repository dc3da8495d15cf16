using Hangfire.Common;
using Hangfire.States;
using Kuroco.Core.Backups;

namespace Kuroco.Infrastructure.Maintenance;

/// <summary>
/// While maintenance mode is on, background jobs wait instead of writing into a database that is being restored: a job
/// about to start processing is scheduled again <see cref="Postpone"/> later (it is not lost and not failed). Jobs marked
/// <see cref="RunsDuringMaintenanceAttribute"/> (the full restore itself) run. A job already running when the mode comes
/// on finishes; the restore's safety backup and the audit writer's gate keep it from interleaving with the restore.
/// Registered per server (this app's <see cref="IJobFilterProvider"/>), not in Hangfire's static global filters, so
/// several apps in one process (the tests) do not see each other's mode.
/// </summary>
internal sealed class MaintenanceJobFilter(IMaintenanceMode mode) : IElectStateFilter
{
    public static readonly TimeSpan Postpone = TimeSpan.FromMinutes(1);

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is not ProcessingState || !mode.Current.IsOn)
        {
            return;
        }
        var type = context.BackgroundJob?.Job?.Type;
        if (type is not null && type.IsDefined(typeof(RunsDuringMaintenanceAttribute), inherit: true))
        {
            return;
        }
        context.CandidateState = new ScheduledState(Postpone) { Reason = "Maintenance mode: postponed" };
    }
}

/// <summary>The global filters plus <see cref="MaintenanceJobFilter"/>.</summary>
internal sealed class MaintenanceAwareFilterProvider(IJobFilterProvider inner, MaintenanceJobFilter filter) : IJobFilterProvider
{
    private readonly JobFilter own = new(filter, JobFilterScope.Global, null);

    public IEnumerable<JobFilter> GetFilters(Job job) => [.. inner.GetFilters(job), own];
}

/// <summary>Marks a job class that must run while maintenance mode is on (the full restore).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RunsDuringMaintenanceAttribute : Attribute;
