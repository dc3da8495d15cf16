using Kuroco.Core.Incidents;
using Kuroco.Core.Sla;
using Kuroco.Core.Status;
using Kuroco.Core.Staff;
using Kuroco.Admin.Localization;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Status;

/// <summary>
/// Everything the public status page and its feed show, from public data only: incidents as <see cref="IncidentPublicView"/>
/// (no internal title, internal notes, cause, affected customers or staff names), maintenance windows' public texts, and
/// the SLA's availability figures. Times are UTC; the page shows them in <see cref="Zone"/>.
/// </summary>
public sealed record StatusSnapshot(
    DateTime GeneratedAtUtc,
    TimeZoneInfo Zone,
    IReadOnlyList<ComponentStatus> Components,
    ComponentState Overall,
    IReadOnlyList<IncidentPublicView> OpenIncidents,
    IReadOnlyList<IncidentPublicView> History,
    IReadOnlyList<MaintenanceWindow> MaintenanceInProgress,
    IReadOnlyList<MaintenanceWindow> MaintenanceUpcoming,
    IReadOnlyList<SlaMonth> Months,
    IReadOnlyList<SlaDay> Days)
{
    public DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);
}

/// <summary>Settings of the public status page (<c>Kuroco:Status</c>).</summary>
public sealed class StatusPageOptions
{
    public const string SectionName = "Kuroco:Status";

    /// <summary>Seconds the page and the feed are served from the server's cache and may be kept by browsers and proxies (0: not cached).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3600)]
    public int CacheSeconds { get; set; } = 30;

    /// <summary>Days of incident history shown (closed incidents detected in this many days).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 400)]
    public int HistoryDays { get; set; } = 90;

    /// <summary>Days ahead for which scheduled maintenance is announced.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 400)]
    public int MaintenanceDaysAhead { get; set; } = 60;
}

/// <summary>Builds the <see cref="StatusSnapshot"/> (one per cache miss: the page is cached, so this runs rarely).</summary>
public sealed class StatusSnapshotBuilder(
    IIncidentService incidents,
    ISlaService sla,
    TimeProvider clock,
    IOptions<StatusPageOptions> options,
    IOptions<KurocoUiOptions> ui)
{
    public const int Months = 13;

    public async Task<StatusSnapshot> BuildAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var views = await incidents.ListPublicAsync(now.AddDays(-settings.HistoryDays), cancellationToken);
        var windows = await sla.ListMaintenanceAsync(now, now.AddDays(settings.MaintenanceDaysAhead), cancellationToken);
        var months = await sla.GetMonthsAsync(Months, cancellationToken);
        var days = await sla.GetDaysAsync(settings.HistoryDays, cancellationToken);
        var components = StatusBoard.Compute(views, windows, now);
        var zone = StaffTimeZones.Find(StaffTimeZones.IsValid(ui.Value.DefaultTimeZone) ? ui.Value.DefaultTimeZone : StaffTimeZones.Default);
        return new StatusSnapshot(
            now,
            zone,
            components,
            StatusBoard.Overall(components),
            [.. views.Where(v => !v.IsClosed)],
            [.. views.Where(v => v.IsClosed)],
            [.. windows.Where(w => !w.IsCancelled && w.StartUtc <= now && now < w.EndUtc).OrderBy(w => w.StartUtc)],
            [.. windows.Where(w => !w.IsCancelled && w.StartUtc > now).OrderBy(w => w.StartUtc)],
            months,
            days);
    }
}
