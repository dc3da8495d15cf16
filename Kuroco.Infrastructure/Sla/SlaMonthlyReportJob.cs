using System.Globalization;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Sla;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Incidents;
using Kuroco.Core.Mail;
using Kuroco.Infrastructure.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Sla;

/// <summary>
/// The monthly SLA report (recurring job <see cref="JobId"/>, 00:30 on the 1st in the company's zone): when the setting
/// says so, mails every enabled Administrator the previous month's figures and the printable report's link, in their
/// language, through the mail outbox, with the report as a PDF attached (<see cref="ISlaReportPdf"/>, in that person's
/// language and zone; when no PDF can be made — no font — the mail goes without it and the link still works). Each
/// (month, person) is recorded before the mail is queued, so a rerun or a retry never mails anyone twice.
/// </summary>
public sealed partial class SlaMonthlyReportJob(
    IDbContextFactory<KurocoDbContext> contexts,
    ISlaService sla,
    ISlaReportPdf pdf,
    NoticeMailer mailer,
    IAuditLog audit,
    IOptions<IncidentOptions> links,
    TimeProvider clock,
    ILogger<SlaMonthlyReportJob> logger)
{
    public const string JobId = "sla-monthly-report";
    public const string MailKind = "sla-report";

    /// <summary>Returns how many reports were mailed in this run.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = await sla.GetSettingsAsync(cancellationToken);
        if (!settings.MailMonthlyReport)
        {
            return 0;
        }
        var zone = StaffTimeZones.Find(settings.CompanyTimeZone);
        var (year, month) = SlaCalculator.MonthOf(clock.GetUtcNow(), zone);
        var previous = new DateOnly(year, month, 1).AddMonths(-1);
        var report = await sla.GetMonthAsync(previous.Year, previous.Month, cancellationToken);
        var period = previous.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var link = links.Value.Link($"sla/report/{previous.Year}/{previous.Month}");

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var administrators = await (from u in db.Users
                                    join ur in db.UserRoles on u.Id equals ur.UserId
                                    join r in db.Roles on ur.RoleId equals r.Id
                                    where r.Name == StaffRoles.Administrator && u.IsEnabled && u.Email != null
                                    select new { u.Id, u.Email, u.DisplayName, u.Language, u.TimeZoneId }).Distinct().ToListAsync(cancellationToken);
        var done = await db.Set<SlaReportDelivery>().Where(d => d.Period == period).Select(d => d.UserId).ToListAsync(cancellationToken);
        var mailed = 0;
        // One PDF per (language, zone): most Administrators share both.
        var pdfs = new Dictionary<(string, string), IReadOnlyList<MailAttachment>>();
        foreach (var person in administrators.Where(a => !done.Contains(a.Id)))
        {
            var culture = StaffLanguages.CultureOf(person.Language);
            var zoneId = StaffTimeZones.IsValid(person.TimeZoneId) ? person.TimeZoneId : settings.CompanyTimeZone;
            if (!pdfs.TryGetValue((culture.Name, zoneId), out var attachments))
            {
                attachments = await AttachmentAsync(previous, period, culture, StaffTimeZones.Find(zoneId), cancellationToken);
                pdfs[(culture.Name, zoneId)] = attachments;
            }
            db.Add(new SlaReportDelivery { Period = period, UserId = person.Id, SentAtUtc = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken);
            var (subject, body) = Compose(culture, report, link);
            await mailer.SendAsync(MailKind, person.Email, person.DisplayName, subject, body, attachments, cancellationToken);
            mailed++;
        }
        if (mailed > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.SlaReportMailed, AuditEntityTypes.SlaReport, period,
                AuditParameters.Of(("month", period), ("recipients", mailed.ToString(CultureInfo.InvariantCulture))))
            { Actor = AuditActor.System }, cancellationToken);
        }
        return mailed;
    }

    private async Task<IReadOnlyList<MailAttachment>> AttachmentAsync(DateOnly month, string period, CultureInfo culture, TimeZoneInfo zone,
        CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await pdf.RenderAsync(month.Year, month.Month, culture, zone, cancellationToken);
            return [new MailAttachment($"kuroco-sla-report-{period}.pdf", "application/pdf", bytes)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNoPdf(logger, period, culture.Name, ex);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA report {Period}: no PDF could be made in {Culture}; the mail goes without it.")]
    private static partial void LogNoPdf(ILogger logger, string period, string culture, Exception exception);

    /// <summary>The report mail in <paramref name="culture"/>.</summary>
    public static (string Subject, string Body) Compose(CultureInfo culture, SlaMonth month, string link)
    {
        ArgumentNullException.ThrowIfNull(month);
        string Percent(decimal value) => value.ToString("0.000", culture) + " %";
        var verdict = SlaMessages.GetIn(culture, month.MeetsTarget ? "Report.Met" : "Report.Missed");
        var subject = SlaMessages.FormatIn(culture, "Report.Subject", month.Year, month.Month, Percent(month.AvailabilityPercent), verdict);
        var body = SlaMessages.FormatIn(culture, "Report.Body", month.Year, month.Month, Percent(month.AvailabilityPercent), Percent(month.TargetPercent),
            verdict, month.DownMinutes, month.BudgetMinutes.ToString("0.##", culture), month.MaintenanceMinutes, Percent(month.CreditPercent ?? 0), link, "\n");
        return (subject, body);
    }
}

/// <summary>Schedules <see cref="SlaMonthlyReportJob"/> at 00:30 on the 1st in the company's zone; again whenever the settings are saved.</summary>
public sealed class SlaReportSchedule(IRecurringJobManager manager, IDbContextFactory<KurocoDbContext> contexts)
{
    public const string Cron = "30 0 1 * *";

    public void Register()
    {
        using var db = contexts.CreateDbContext();
        var row = db.Set<SlaSettingsRow>().AsNoTracking().FirstOrDefault(r => r.Id == SlaSettingsRow.SingletonId);
        Apply(SlaService.ToSettings(row));
    }

    public void Apply(SlaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        manager.AddOrUpdate<SlaMonthlyReportJob>(SlaMonthlyReportJob.JobId, job => job.ExecuteAsync(CancellationToken.None), Cron,
            new RecurringJobOptions { TimeZone = StaffTimeZones.Find(settings.CompanyTimeZone) });
    }
}
