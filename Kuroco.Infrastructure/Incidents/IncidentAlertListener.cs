using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Incidents;

/// <summary>
/// Opens an incident at step ① from a raised alert when <c>Incidents:OpenFromAlerts</c> says so (Critical alerts by
/// default), with the alert's signal and value in an internal note and the alert's id for the link back. Deduplicated: an
/// alert opens at most one incident (unique alert id), and a rule that already has an open incident gets a note on it
/// instead of a second incident. A resolved alert adds an internal note to its open incident.
/// </summary>
public sealed class IncidentAlertListener(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IOptions<IncidentOptions> options) : IAlertListener
{
    public const string SystemActor = "system";

    public async Task OnRaisedAsync(AlertRaised alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!options.Value.Opens(alert.Severity))
        {
            return;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Set<Incident>().AnyAsync(i => i.AlertId == alert.AlertId, cancellationToken))
        {
            return;
        }
        var at = alert.RaisedAtUtc.UtcDateTime;
        var english = CultureInfo.GetCultureInfo("en");
        var noteText = IncidentMessages.FormatIn(english, "Alert.Note", alert.AlertId, alert.RuleName, alert.Signal,
            alert.Value.ToString("G6", CultureInfo.InvariantCulture), alert.Threshold.ToString("G6", CultureInfo.InvariantCulture),
            at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        var open = await db.Set<Incident>()
            .Where(i => i.AlertRuleId == alert.RuleId && i.Step != IncidentStep.RecoveryAnnounced)
            .OrderByDescending(i => i.DetectedAtUtc)
            .FirstOrDefaultAsync(cancellationToken);
        if (open is not null)
        {
            await AddNoteAsync(db, open, noteText, at, cancellationToken);
            return;
        }
        var incident = new Incident
        {
            Id = Guid.CreateVersion7(),
            Title = Truncate(IncidentMessages.FormatIn(english, "Alert.Title", alert.RuleName), Incident.TitleMaxLength),
            // Rendered in each reader's language (status page, feed, notices) until an operator writes a public title.
            PublicTitle = IncidentMessages.AlertPublicTitleKey,
            Severity = alert.Severity,
            Components = ComponentOf(alert.Signal),
            DetectedAtUtc = at,
            DetectedBy = SystemActor,
            AlertId = alert.AlertId,
            AlertRuleId = alert.RuleId,
            AlertRuleName = Truncate(alert.RuleName, Incident.AlertRuleMaxLength),
            UpdatedAtUtc = at,
        };
        incident.Notes.Add(new IncidentNote { Id = Guid.CreateVersion7(), IncidentId = incident.Id, AtUtc = at, By = SystemActor, Text = noteText, Kind = IncidentNoteKind.Alert });
        db.Add(incident);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same alert reached another instance first (unique alert id): that one opened the incident.
            return;
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.IncidentOpened, AuditEntityTypes.Incident, incident.Id.ToString(),
            AuditParameters.Of(("variant", "alert"), ("title", incident.Title), ("severity", incident.Severity.ToString()),
                ("components", incident.Components), ("alert", alert.AlertId.ToString()), ("rule", alert.RuleName)))
        { Actor = AuditActor.System }, cancellationToken);
    }

    public async Task OnResolvedAsync(AlertResolved alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incident = await db.Set<Incident>().FirstOrDefaultAsync(i => i.AlertId == alert.AlertId && i.Step != IncidentStep.RecoveryAnnounced, cancellationToken);
        if (incident is null)
        {
            return;
        }
        var at = alert.ResolvedAtUtc.UtcDateTime;
        var text = IncidentMessages.FormatIn(CultureInfo.GetCultureInfo("en"), "Alert.Resolved", alert.AlertId,
            at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        await AddNoteAsync(db, incident, text, at, cancellationToken);
    }

    private async Task AddNoteAsync(KurocoDbContext db, Incident incident, string text, DateTime at, CancellationToken cancellationToken)
    {
        db.Add(new IncidentNote { Id = Guid.CreateVersion7(), IncidentId = incident.Id, AtUtc = at, By = SystemActor, Text = text, Kind = IncidentNoteKind.Alert });
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.IncidentNoteAdded, AuditEntityTypes.Incident, incident.Id.ToString(),
            AuditParameters.Of(("variant", "alert"), ("title", incident.Title), ("late", "false"))) { Actor = AuditActor.System }, cancellationToken);
    }

    /// <summary>The public component a signal belongs to (the console when it is not one of the others).</summary>
    public static string ComponentOf(string signal) => signal switch
    {
        MonitoringSignals.ProbeDeliveryApi => StatusComponents.DeliveryApi,
        MonitoringSignals.MailUp => StatusComponents.Mail,
        MonitoringSignals.JobStorageUp or MonitoringSignals.JobStorageLatency => StatusComponents.Jobs,
        MonitoringSignals.BackupStorageUp => StatusComponents.Backups,
        _ => StatusComponents.Console,
    };

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
