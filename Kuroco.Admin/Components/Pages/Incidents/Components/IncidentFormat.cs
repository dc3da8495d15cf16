using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Components.Pages.Incidents.Components;

/// <summary>How the incident screens write times (in the viewer's zone, with its short name) and durations.</summary>
internal static class IncidentFormat
{
    public static string Time(DateTime utc, TimeZoneInfo zone, string format = "yyyy-MM-dd HH:mm") =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString(format, CultureInfo.InvariantCulture) + " " + ZoneName(zone);

    /// <summary>"JST" for Tokyo, "UTC" for UTC, else the zone id.</summary>
    public static string ZoneName(TimeZoneInfo zone) => zone.Id switch
    {
        "Asia/Tokyo" or "Tokyo Standard Time" => "JST",
        "UTC" or "Etc/UTC" => "UTC",
        _ => zone.Id,
    };

    public static string Duration(TimeSpan span, IStringLocalizer localizer)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalHours >= 1
            ? localizer["{0} h {1} min", (int)span.TotalHours, span.Minutes]
            : localizer["{0} min", (int)span.TotalMinutes];
    }
}
