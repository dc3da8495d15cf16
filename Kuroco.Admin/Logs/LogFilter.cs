using System.Globalization;
using Kuroco.Core.Logs;

namespace Kuroco.Admin.Logs;

/// <summary>
/// The server-log screen's filters as they appear in the address (so a view can be bookmarked and exported as it is):
/// kind (the tab), a time range preset in the viewer's zone (or custom days), severity, text and correlation id.
/// </summary>
public sealed record LogFilter(
    LogKind Kind = LogKind.Application,
    string Range = LogFilter.DefaultRange,
    DateOnly? From = null,
    DateOnly? To = null,
    string? Severity = null,
    string? Text = null,
    string? CorrelationId = null)
{
    public const string DefaultRange = "24h";
    public const int CorrelationIdMaxLength = 64;

    /// <summary>The presets, in the order the screen lists them.</summary>
    public static IReadOnlyList<string> Ranges { get; } = ["1h", "24h", "today", "7d", "30d", "all", "custom"];

    /// <summary>The severities offered per kind (application: "this level and above").</summary>
    public static IReadOnlyList<string> Severities(LogKind kind) => kind switch
    {
        LogKind.Application => ["Debug", "Information", "Warning", "Error", "Critical"],
        LogKind.ApiRequest => ["2xx", "3xx", "4xx", "5xx"],
        LogKind.Job => ["Succeeded", "Failed", "Canceled"],
        LogKind.Mail => ["Sent", "KeptLocally", "Retrying", "Failed"],
        _ => [],
    };

    public static LogFilter Parse(string? kind, string? range, string? from, string? to, string? severity, string? text, string? correlationId)
    {
        var parsedKind = Enum.TryParse<LogKind>(kind, ignoreCase: true, out var k) && Enum.IsDefined(k) ? k : LogKind.Application;
        return new LogFilter(
            parsedKind,
            range is not null && Ranges.Contains(range, StringComparer.Ordinal) ? range : DefaultRange,
            Day(from),
            Day(to),
            severity is not null && Severities(parsedKind).Contains(severity, StringComparer.Ordinal) ? severity : null,
            Clip(text, LogQuery.TextMaxLength),
            Clip(correlationId, CorrelationIdMaxLength));
    }

    /// <summary>The store query: presets count back from <paramref name="now"/>; "today" and custom days are days in <paramref name="zone"/>.</summary>
    public LogQuery ToQuery(TimeZoneInfo zone, DateTimeOffset now, LogCursor? after = null, int pageSize = LogQuery.DefaultPageSize)
    {
        ArgumentNullException.ThrowIfNull(zone);
        DateTimeOffset? from = null;
        DateTimeOffset? to = null;
        switch (Range)
        {
            case "1h":
                from = now.AddHours(-1);
                break;
            case "24h":
                from = now.AddHours(-24);
                break;
            case "today":
                from = StartOfDay(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime), zone);
                break;
            case "7d":
                from = now.AddDays(-7);
                break;
            case "30d":
                from = now.AddDays(-30);
                break;
            case "custom":
                from = From is { } f ? StartOfDay(f, zone) : null;
                to = To is { } t ? StartOfDay(t.AddDays(1), zone) : null;
                break;
            default:
                break;
        }
        return new LogQuery(Kind, from, to, Severity, Text, CorrelationId, after, pageSize);
    }

    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>
    {
        ["kind"] = Kind == LogKind.Application ? null : Kind.ToString(),
        ["range"] = Range == DefaultRange ? null : Range,
        ["from"] = Range == "custom" ? From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        ["to"] = Range == "custom" ? To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        ["severity"] = Severity,
        ["q"] = Text,
        ["cid"] = CorrelationId,
    };

    public string ToQueryString() => QueryString.Create(ToQueryParameters()
        .Where(p => p.Value is not null)
        .Select(p => new KeyValuePair<string, string?>(p.Key, Convert.ToString(p.Value, CultureInfo.InvariantCulture)))).ToString();

    /// <summary>A plain description for the audit entry of an export.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"kind {Kind}, range {Range}{(Range == "custom" ? $" {From:yyyy-MM-dd}..{To:yyyy-MM-dd}" : "")}, severity {Severity ?? "any"}, text \"{Text}\", correlation id \"{CorrelationId}\"");

    private static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var wallClock = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(wallClock))
        {
            wallClock = wallClock.AddMinutes(30);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(wallClock, zone), TimeSpan.Zero);
    }

    private static DateOnly? Day(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string? Clip(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        return trimmed.Length > max ? trimmed[..max] : trimmed;
    }
}
