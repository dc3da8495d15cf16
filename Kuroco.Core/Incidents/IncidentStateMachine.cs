using Kuroco.Core.Common;

namespace Kuroco.Core.Incidents;

/// <summary>
/// The seven steps as a state machine: an incident moves to the next step only (a skip is refused with a localized
/// error), records who and when (UTC), and once closed (step ⑦) refuses every change. Step ⑤ needs a cause, because the
/// cause decides who recovers (<see cref="IncidentCauses.RecoveredBy"/>).
/// </summary>
public static class IncidentStateMachine
{
    public static IReadOnlyList<IncidentStep> Steps { get; } = Enum.GetValues<IncidentStep>();

    /// <summary>The step after <paramref name="step"/>, or null after the last.</summary>
    public static IncidentStep? Next(IncidentStep step) =>
        step == IncidentStep.RecoveryAnnounced ? null : step + 1;

    /// <summary>Null when the incident may move to <paramref name="target"/> now; else why not (nothing is changed).</summary>
    public static Result Check(Incident incident, IncidentStep target)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (incident.IsClosed)
        {
            return Result.Conflict(IncidentMessages.Get("Incident.Closed"));
        }
        if (!Enum.IsDefined(target))
        {
            return Result.Invalid(IncidentMessages.Get("Incident.StepUnknown"));
        }
        var next = Next(incident.Step)!.Value;
        if (target != next)
        {
            return Result.Conflict(IncidentMessages.Format("Incident.StepSkipped",
                IncidentMessages.StepName(target), IncidentMessages.StepName(next)));
        }
        if (target == IncidentStep.Recovered && incident.Cause == IncidentCause.Unknown)
        {
            return Result.Conflict(IncidentMessages.Get("Incident.CauseRequired"));
        }
        return Result.Success;
    }

    /// <summary>Moves the incident to <paramref name="target"/> when <see cref="Check"/> allows it, recording who and when.</summary>
    public static Result Advance(Incident incident, IncidentStep target, string by, DateTime nowUtc)
    {
        var check = Check(incident, target);
        if (!check.Succeeded)
        {
            return check;
        }
        incident.Transitions.Add(new IncidentTransition
        {
            Id = Guid.CreateVersion7(),
            IncidentId = incident.Id,
            Step = target,
            AtUtc = nowUtc,
            By = by,
        });
        incident.Step = target;
        incident.UpdatedAtUtc = nowUtc;
        if (target >= IncidentStep.Recovered)
        {
            // Recovered: no more progress reports are due.
            incident.ProgressOverdueSinceUtc = null;
        }
        return Result.Success;
    }

    /// <summary>A closed incident refuses every change (classification, notes).</summary>
    public static Result CheckOpen(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident.IsClosed ? Result.Conflict(IncidentMessages.Get("Incident.Closed")) : Result.Success;
    }
}

/// <summary>The seed's step ⑤: who recovers, by cause.</summary>
public static class IncidentCauses
{
    public const string InfrastructureEngineers = "infrastructure";
    public const string CustomerOrVendorEngineers = "software";

    /// <summary>The team code that recovers an incident of this cause, or null while the cause is unknown.</summary>
    public static string? RecoveredBy(IncidentCause cause) => cause switch
    {
        IncidentCause.Network or IncidentCause.Hardware => InfrastructureEngineers,
        IncidentCause.Software => CustomerOrVendorEngineers,
        _ => null,
    };
}

/// <summary>Who may do what with incidents: Operators and Administrators run them; SecurityOfficers read them.</summary>
public static class IncidentRoles
{
    public const string Viewers = Staff.StaffRoles.Administrator + "," + Staff.StaffRoles.Operator + "," + Staff.StaffRoles.SecurityOfficer;
    public const string Managers = Staff.StaffRoles.Administrator + "," + Staff.StaffRoles.Operator;

    public static bool CanManage(IEnumerable<string> roles) =>
        roles.Any(r => r is Staff.StaffRoles.Administrator or Staff.StaffRoles.Operator);
}
