using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;
using Kuroco.Core.Status;

namespace Kuroco.Tests.Unit.Status;

public sealed class StatusBoardTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);

    private static IncidentPublicView Incident(IncidentStep step, AlertSeverity severity, params string[] components) =>
        new(Guid.NewGuid(), "t", "", step, severity, components, Now.AddHours(-1), new Dictionary<IncidentStep, DateTime>(), []);

    private static MaintenanceWindow Window(DateTime start, DateTime end, string components = "", DateTime? cancelled = null) =>
        new() { Id = Guid.NewGuid(), StartUtc = start, EndUtc = end, Components = components, CancelledAtUtc = cancelled };

    private static ComponentState State(IReadOnlyList<ComponentStatus> board, string component) => board.Single(c => c.Component == component).State;

    [Fact]
    public void Open_incidents_before_recovery_and_maintenance_in_progress_set_the_components_and_the_worst_is_the_overall_state()
    {
        var board = StatusBoard.Compute(
            [
                Incident(IncidentStep.Investigating, AlertSeverity.Critical, StatusComponents.DeliveryApi),
                Incident(IncidentStep.Confirmed, AlertSeverity.Warning, StatusComponents.Mail, StatusComponents.DeliveryApi),
                // Recovered: the service is back even though ⑦ is not announced yet.
                Incident(IncidentStep.Recovered, AlertSeverity.Critical, StatusComponents.Console),
                Incident(IncidentStep.RecoveryAnnounced, AlertSeverity.Critical, StatusComponents.Jobs),
            ],
            [
                Window(Now.AddMinutes(-10), Now.AddMinutes(50), StatusComponents.Backups + "," + StatusComponents.Mail),
                Window(Now.AddHours(1), Now.AddHours(2), StatusComponents.Console), // not started
                Window(Now.AddMinutes(-10), Now.AddMinutes(10), StatusComponents.Jobs, cancelled: Now.AddDays(-1)),
            ],
            Now);

        Assert.Equal(StatusComponents.All, board.Select(c => c.Component));
        Assert.Equal(ComponentState.Outage, State(board, StatusComponents.DeliveryApi));
        Assert.Equal(ComponentState.Degraded, State(board, StatusComponents.Mail));
        Assert.Equal(ComponentState.Maintenance, State(board, StatusComponents.Backups));
        Assert.Equal(ComponentState.Operational, State(board, StatusComponents.Console));
        Assert.Equal(ComponentState.Operational, State(board, StatusComponents.Jobs));
        Assert.Equal(ComponentState.Outage, StatusBoard.Overall(board));
    }

    [Fact]
    public void An_incident_or_a_window_without_components_affects_every_component_and_a_window_ends_at_its_end()
    {
        var during = StatusBoard.Compute([], [Window(Now.AddHours(-1), Now.AddHours(1))], Now);
        Assert.All(during, c => Assert.Equal(ComponentState.Maintenance, c.State));
        Assert.Equal(ComponentState.Maintenance, StatusBoard.Overall(during));

        var ended = StatusBoard.Compute([], [Window(Now.AddHours(-1), Now)], Now);
        Assert.Equal(ComponentState.Operational, StatusBoard.Overall(ended));

        var incident = StatusBoard.Compute([Incident(IncidentStep.Detected, AlertSeverity.Info)], [Window(Now.AddHours(-1), Now.AddHours(1))], Now);
        Assert.All(incident, c => Assert.Equal(ComponentState.Degraded, c.State));
    }
}
