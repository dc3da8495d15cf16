using System.Globalization;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Incidents;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Incidents;

/// <summary>
/// The three-hour rule's watch (every minute by default): for each open incident not yet recovered, evaluates
/// <see cref="ThreeHourRule"/>; an overdue progress report is flagged on the incident (every operator's screen shows it)
/// and, once per overdue period, mailed to the on-call list (the <c>Incidents:OnCall</c> addresses, or every enabled
/// Operator) and audited. The period is stored before the mail goes out, so a retry never mails twice.
/// </summary>
public sealed class IncidentOverdueJob(
    IDbContextFactory<KurocoDbContext> contexts,
    IStaffDirectory directory,
    NoticeMailer mailer,
    IAuditLog audit,
    IOptions<IncidentOptions> options,
    TimeProvider clock)
{
    public const string JobId = "incident-progress-overdue";
    public const string MailKind = "incident-overdue";

    public static void Register(IRecurringJobManager manager, string cron, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<IncidentOverdueJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), cron,
            new RecurringJobOptions { TimeZone = zone });
    }

    /// <summary>Returns how many reminders were mailed in this run (one per incident and overdue period).</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incidents = await db.Set<Incident>().Include(i => i.Transitions)
            .Where(i => i.Step < IncidentStep.Recovered || i.ProgressOverdueSinceUtc != null)
            .ToListAsync(cancellationToken);
        var reminded = 0;
        foreach (var incident in incidents)
        {
            var state = ThreeHourRule.Evaluate(incident, now, settings.Interval);
            if (!state.Overdue)
            {
                if (incident.ProgressOverdueSinceUtc is not null)
                {
                    incident.ProgressOverdueSinceUtc = null;
                    await db.SaveChangesAsync(cancellationToken);
                }
                continue;
            }
            incident.ProgressOverdueSinceUtc = state.NextDueUtc;
            var period = state.OverduePeriodStartUtc;
            if (incident.OverdueMailedForUtc == period)
            {
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }
            incident.OverdueMailedForUtc = period;
            await db.SaveChangesAsync(cancellationToken);
            var mailed = await MailAsync(incident, state.NextDueUtc!.Value, settings, cancellationToken);
            await audit.WriteAsync(new AuditRecord(AuditActions.IncidentProgressOverdue, AuditEntityTypes.Incident, incident.Id.ToString(),
                AuditParameters.Of(
                    ("title", incident.Title),
                    ("due", state.NextDueUtc.Value.ToString("O", CultureInfo.InvariantCulture)),
                    ("mailed", mailed.ToString(CultureInfo.InvariantCulture))),
                AuditOutcome.Failure) { Actor = AuditActor.System }, cancellationToken);
            reminded++;
        }
        return reminded;
    }

    private async Task<int> MailAsync(Incident incident, DateTime dueUtc, IncidentOptions settings, CancellationToken cancellationToken)
    {
        var link = settings.Link("incidents/" + incident.Id);
        var minutes = settings.ProgressReportInterval;
        if (settings.OnCall.Count > 0)
        {
            // Listed addresses have no language setting: the reminder is written in Japanese and English, times in the company zone.
            foreach (var to in settings.OnCall)
            {
                var ja = Text(CultureInfo.GetCultureInfo(StaffLanguages.Japanese), incident, dueUtc, settings.TimeZone, minutes, link);
                var en = Text(CultureInfo.GetCultureInfo(StaffLanguages.English), incident, dueUtc, settings.TimeZone, minutes, link);
                await mailer.SendAsync(MailKind, to, null, ja.Subject + " / " + en.Subject, ja.Body + "\n----\n\n" + en.Body, cancellationToken);
            }
            return settings.OnCall.Count;
        }
        var operators = await directory.GetRecipientsInRoleAsync(StaffRoles.Operator, cancellationToken);
        foreach (var to in operators)
        {
            var text = Text(StaffLanguages.CultureOf(to.Language), incident, dueUtc, to.TimeZoneId, minutes, link);
            await mailer.SendAsync(MailKind, to.Email, to.DisplayName, text.Subject, text.Body, cancellationToken);
        }
        return operators.Count;
    }

    private static (string Subject, string Body) Text(CultureInfo culture, Incident incident, DateTime dueUtc, string zoneId, int minutes, string link)
    {
        var zone = StaffTimeZones.Find(zoneId);
        var due = IncidentMessages.FormatIn(culture, "Mail.Time", TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(dueUtc, DateTimeKind.Utc), zone), zone.Id);
        return (IncidentMessages.FormatIn(culture, "Overdue.Subject", incident.Title),
            IncidentMessages.FormatIn(culture, "Overdue.Body", incident.Title, due, minutes, link, "\n"));
    }
}
