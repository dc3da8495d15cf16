using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;

namespace Kuroco.Core.Status;

/// <summary>A component's state on the public status page, worst last (the overall state is the worst of them).</summary>
public enum ComponentState
{
    Operational = 0,
    Maintenance = 1,
    Degraded = 2,
    Outage = 3,
}

/// <summary>One component's current state on the public status page.</summary>
public sealed record ComponentStatus(string Component, ComponentState State);

/// <summary>
/// The current state of each public component (<see cref="StatusComponents"/>), derived from public data only: an open
/// incident that has not reached ⑤ Recovered makes its components an outage (Critical) or degraded (Info, Warning); an
/// incident with no component affects every component; a maintenance window in progress puts its components (all when
/// it names none) in maintenance unless an incident is worse. Once an incident reaches ⑤ the service is back, so it no
/// longer darkens the board (it stays listed as open until ⑦ announces the recovery).
/// </summary>
public static class StatusBoard
{
    public static IReadOnlyList<ComponentStatus> Compute(
        IEnumerable<IncidentPublicView> incidents, IEnumerable<MaintenanceWindow> maintenance, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(maintenance);
        var states = StatusComponents.All.ToDictionary(c => c, _ => ComponentState.Operational, StringComparer.Ordinal);
        foreach (var window in maintenance.Where(w => !w.IsCancelled && w.StartUtc <= nowUtc && nowUtc < w.EndUtc))
        {
            Raise(states, window.ComponentList, ComponentState.Maintenance);
        }
        foreach (var incident in incidents.Where(i => i.Step < IncidentStep.Recovered))
        {
            Raise(states, incident.Components, incident.Severity == AlertSeverity.Critical ? ComponentState.Outage : ComponentState.Degraded);
        }
        return [.. StatusComponents.All.Select(c => new ComponentStatus(c, states[c]))];
    }

    /// <summary>The worst state of any component (operational when there are none).</summary>
    public static ComponentState Overall(IEnumerable<ComponentStatus> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return components.Select(c => c.State).DefaultIfEmpty(ComponentState.Operational).Max();
    }

    private static void Raise(Dictionary<string, ComponentState> states, IReadOnlyList<string> components, ComponentState state)
    {
        var affected = components.Count == 0 ? StatusComponents.All : components;
        foreach (var component in affected)
        {
            if (states.TryGetValue(component, out var current) && state > current)
            {
                states[component] = state;
            }
        }
    }
}
