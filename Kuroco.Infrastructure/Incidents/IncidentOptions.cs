using Kuroco.Core.Monitoring;
using Kuroco.Core.Staff;

namespace Kuroco.Infrastructure.Incidents;

/// <summary>The <c>Incidents</c> settings.</summary>
public sealed class IncidentOptions
{
    public const string SectionName = "Incidents";
    public const string Off = "Off";

    /// <summary>Minutes between progress reports while the three-hour rule applies (5–1440; default 60).</summary>
    public int ProgressReportInterval { get; set; } = 60;

    /// <summary>
    /// Which raised alerts open an incident: "Off", or the lowest severity that does ("Critical" by default, "Warning",
    /// "Info").
    /// </summary>
    public string OpenFromAlerts { get; set; } = nameof(AlertSeverity.Critical);

    /// <summary>Who is mailed when a progress report is overdue; empty: every enabled Operator.</summary>
    public List<string> OnCall { get; set; } = [];

    /// <summary>The company zone: months of the incident report, times in on-call mails to listed addresses.</summary>
    public string TimeZone { get; set; } = StaffTimeZones.Default;

    /// <summary>The console's public address, for unsubscribe links in notices and incident links in reminders.</summary>
    public string LinkBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>How often the overdue check runs (cron; every minute by default).</summary>
    public string OverdueCheckCron { get; set; } = "* * * * *";

    public TimeSpan Interval => TimeSpan.FromMinutes(ProgressReportInterval);

    /// <summary>Whether a raised alert of <paramref name="severity"/> opens an incident.</summary>
    public bool Opens(AlertSeverity severity) =>
        !string.Equals(OpenFromAlerts, Off, StringComparison.OrdinalIgnoreCase)
        && Enum.TryParse<AlertSeverity>(OpenFromAlerts, ignoreCase: true, out var lowest)
        && severity >= lowest;

    /// <summary>Null when the settings are usable; else what is wrong (start-up refuses them).</summary>
    public string? Problem() =>
        ProgressReportInterval is < 5 or > 1440 ? $"{SectionName}:ProgressReportInterval must be 5–1440 minutes."
        : !string.Equals(OpenFromAlerts, Off, StringComparison.OrdinalIgnoreCase) && !Enum.TryParse<AlertSeverity>(OpenFromAlerts, true, out _)
            ? $"{SectionName}:OpenFromAlerts must be Off, Info, Warning or Critical."
        : !StaffTimeZones.IsValid(TimeZone) ? $"{SectionName}:TimeZone must be a known time zone id."
        : !Uri.TryCreate(LinkBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query)
            ? $"{SectionName}:LinkBaseUrl must be an absolute http:// or https:// URL without a query."
        : OnCall.Any(a => !Core.Common.EmailRules.IsValid(a)) ? $"{SectionName}:OnCall must list valid email addresses."
        : null;

    public string Link(string path) => LinkBaseUrl.TrimEnd('/') + "/" + path.TrimStart('/');
}
