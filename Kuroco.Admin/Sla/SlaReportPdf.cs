using System.Globalization;
using Kuroco.Admin.Audit;
using Kuroco.Admin.Localization;
using Kuroco.Core.Incidents;
using Kuroco.Core.Sla;
using Microsoft.Extensions.Localization;
using PdfSharp.Pdf;

namespace Kuroco.Admin.Sla;

/// <summary>
/// The monthly SLA report as a PDF (PDFsharp 6.2.4 with the audit review's font resolver and line writer, so Japanese has
/// a CJK font): the month, availability against the target, downtime used of the budget (from the month's real length),
/// the maintenance windows excluded, the credit due, a chart and a table of the days, the month's incidents with their time to
/// recover, and when it was generated — in the reader's language and zone. Used by the console's download and by the
/// monthly job's mail (one PDF per Administrator, in their language).
/// </summary>
internal sealed class SlaReportPdf(
    ISlaService sla,
    IIncidentService incidents,
    IStringLocalizer<SlaResource> l,
    IConfiguration configuration,
    TimeProvider clock) : ISlaReportPdf
{
    private static readonly double[] DayColumns = [0, 110, 220, 330];

    public async Task<byte[]> RenderAsync(int year, int month, CultureInfo culture, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(culture);
        ArgumentNullException.ThrowIfNull(zone);
        var figures = await sla.GetMonthAsync(year, month, cancellationToken);
        var days = await sla.GetMonthDaysAsync(year, month, cancellationToken);
        var windows = await sla.ListMaintenanceAsync(figures.StartUtc.UtcDateTime, figures.EndUtc.UtcDateTime, cancellationToken);
        var start = figures.StartUtc.UtcDateTime;
        var end = figures.EndUtc.UtcDateTime;
        var monthIncidents = (await incidents.ListPublicAsync(start, cancellationToken))
            .Where(i => i.DetectedAtUtc >= start && i.DetectedAtUtc < end)
            .OrderBy(i => i.DetectedAtUtc)
            .ToList();

        // The localizer and the number formats read the current culture: the job renders one PDF per reader's language.
        var (previousCulture, previousUiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return Render(figures, days, windows, monthIncidents, culture, zone);
        }
        finally
        {
            CultureInfo.CurrentCulture = previousCulture;
            CultureInfo.CurrentUICulture = previousUiCulture;
        }
    }

    private byte[] Render(SlaMonth m, IReadOnlyList<SlaDay> days, IReadOnlyList<MaintenanceWindow> windows,
        IReadOnlyList<IncidentPublicView> monthIncidents, CultureInfo culture, TimeZoneInfo zone)
    {
        var face = AuditReviewFontResolver.Prepare(configuration[AuditReviewApi.FontPathSetting], culture.TwoLetterISOLanguageName == "ja");
        using var document = new PdfDocument();
        var title = l["SLA report {0:D4}/{1:D2}", m.Year, m.Month].Value;
        document.Info.Title = title;
        document.Info.Subject = string.Create(CultureInfo.InvariantCulture, $"{m.Year:D4}-{m.Month:D2}");
        document.Info.Creator = "Kuroco";
        var writer = new AuditReviewPdf.Writer(document, face);

        writer.Line(title, 18, bold: true);
        writer.Line(l["Period ({0})", zone.Id] + ": " + Local(m.StartUtc, zone) + " – " + Local(m.EndUtc, zone), 10);
        writer.Space(6);
        writer.Line(l["Availability"] + ": " + Percent(m.AvailabilityPercent) + " · " + l["Target"] + ": " + Percent(m.TargetPercent)
            + " (" + (m.MeetsTarget ? l["Met"] : l["Missed"]) + ")", 12, bold: true);
        writer.Line(l["Downtime (min)"] + ": " + l["{0} of {1} minutes allowed", m.DownMinutes, Minutes(m.BudgetMinutes)], 11);
        writer.Line(l["The month has {0} minutes; the budget at {1} is {2} minutes.", m.MonthMinutes.ToString("N0", culture),
            Percent(m.TargetPercent), Minutes(m.BudgetMinutes)], 9);
        writer.Line(l["Of which unmonitored (min)"] + ": " + m.UnprobedMinutes.ToString(culture), 10);
        writer.Line(l["Counted minutes"] + ": " + m.CountedMinutes.ToString("N0", culture) + " / " + m.MonthMinutes.ToString("N0", culture), 10);
        writer.Line(l["Credit due"] + ": " + (m.CreditPercent is { } credit ? Percent(credit) : l["The month is not over yet."]), 11, bold: true);

        writer.Space(10);
        writer.Line(l["Maintenance windows"] + " — " + l["{0} minutes excluded", m.MaintenanceMinutes], 14, bold: true);
        if (windows.Count == 0)
        {
            writer.Line(l["No maintenance windows."], 10);
        }
        foreach (var window in windows)
        {
            var slaWindow = window.ToSlaWindow();
            writer.Line("・" + Local(slaWindow.StartUtc, zone) + " – " + Local(slaWindow.EndUtc, zone) + ": " + window.TitleIn(culture), 10);
        }

        writer.Space(10);
        writer.Line(l["Incidents: {0}", monthIncidents.Count], 14, bold: true);
        var recoveries = monthIncidents
            .Select(i => i.StepsReachedAtUtc.TryGetValue(IncidentStep.Recovered, out var at) ? at - i.DetectedAtUtc : (TimeSpan?)null)
            .OfType<TimeSpan>().ToList();
        if (monthIncidents.Count == 0)
        {
            writer.Line(l["No incidents this month."], 10);
        }
        else
        {
            writer.Line(l["Mean time to recover: {0}", recoveries.Count == 0 ? "—" : Duration(TimeSpan.FromTicks((long)recoveries.Average(r => r.Ticks))).Value], 10);
        }
        foreach (var incident in monthIncidents)
        {
            var recovered = incident.StepsReachedAtUtc.TryGetValue(IncidentStep.Recovered, out var at)
                ? l["recovered after {0}", Duration(at - incident.DetectedAtUtc)].Value
                : l["not recovered yet"].Value;
            writer.Line("・" + Local(new DateTimeOffset(DateTime.SpecifyKind(incident.DetectedAtUtc, DateTimeKind.Utc)), zone) + " " + incident.TitleIn(culture) + " — " + recovered, 10);
        }

        writer.Space(10);
        writer.Line(l["Daily availability"], 14, bold: true);
        // The days as bars against the target (red below it), the scale from a little under the worst day or the target to 100 %.
        var target = (double)m.TargetPercent;
        var floor = Math.Max(0, Math.Floor((Math.Min(days.Count == 0 ? target : days.Min(d => (double)d.AvailabilityPercent), target) - 0.1) * 10) / 10);
        writer.Bars([.. days.Select(d => (double)d.AvailabilityPercent)], [.. days.Select(d => d.Date.Day.ToString(CultureInfo.InvariantCulture))],
            floor, 100, target, value => Percent((decimal)value), labelEvery: 5);
        writer.Row([l["Date"], l["Availability"], l["Downtime (min)"], l["Maintenance (min)"]], DayColumns, 9, bold: true);
        foreach (var day in days)
        {
            writer.Row([day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Percent(day.AvailabilityPercent),
                day.DownMinutes.ToString(culture), day.MaintenanceMinutes.ToString(culture)], DayColumns, 9);
        }

        writer.Space(10);
        writer.Line(l["A minute is down when the app or the database failed the majority of its liveness probes, or when no probe ran at all. Announced maintenance is not counted."], 8);
        writer.Line(l["Generated {0} ({1}).", Local(clock.GetUtcNow(), zone), zone.Id], 8);
        return writer.Save();
    }

    private LocalizedString Duration(TimeSpan span) =>
        l["{0} min", Math.Max(0, (long)Math.Ceiling(span.TotalMinutes)).ToString("N0", CultureInfo.CurrentCulture)];

    private static string Local(DateTimeOffset utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(utc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.CurrentCulture);

    private static string Percent(decimal value) => value.ToString("0.000", CultureInfo.CurrentCulture) + " %";

    private static string Minutes(double value) => value.ToString("0.##", CultureInfo.CurrentCulture);
}
