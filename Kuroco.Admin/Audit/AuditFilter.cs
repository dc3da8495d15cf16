using System.Globalization;
using System.Text;
using Kuroco.Core.Audit;

namespace Kuroco.Admin.Audit;

/// <summary>
/// The audit log's filters as they travel in the page's address and the CSV export's:
/// <c>q</c>, <c>action</c>, <c>outcome</c>, and <c>from</c>/<c>to</c> as calendar days (yyyy-MM-dd)
/// in the user's time zone, both inclusive. Anything malformed is dropped rather than rejected.
/// </summary>
public sealed record AuditFilter(string? Text = null, string? Action = null, AuditOutcome? Outcome = null, DateOnly? From = null, DateOnly? To = null)
{
    public const int TextMaxLength = 200;
    public const string DateFormat = "yyyy-MM-dd";

    public static AuditFilter Empty { get; } = new();

    public bool IsEmpty => this == Empty;

    public static AuditFilter Parse(string? text, string? action, string? outcome, string? from, string? to)
    {
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (text is { Length: > TextMaxLength })
        {
            text = text[..TextMaxLength];
        }
        action = string.IsNullOrWhiteSpace(action) ? null : action.Trim();
        if (action is { Length: > AuditEntry.ActionMaxLength })
        {
            action = null;
        }
        AuditOutcome? parsedOutcome = Enum.TryParse<AuditOutcome>(outcome, ignoreCase: true, out var o)
            && Enum.IsDefined(o) && !int.TryParse(outcome, out _) ? o : null;
        return new AuditFilter(text, action, parsedOutcome, ParseDay(from), ParseDay(to));
    }

    /// <summary>The reader's query: the days become UTC instants, the end day counted whole.</summary>
    public AuditQuery ToQuery(TimeZoneInfo zone, int page = 0, int pageSize = 50)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new AuditQuery(
            Text,
            Action,
            Outcome,
            From is { } from ? StartOfDayUtc(from, zone) : null,
            To is { } to ? StartOfDayUtc(to.AddDays(1), zone) : null,
            page,
            pageSize);
    }

    /// <summary>The query-string values; null removes a parameter (NavigationManager.GetUriWithQueryParameters).</summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>
    {
        ["q"] = Text,
        ["action"] = Action,
        ["outcome"] = Outcome?.ToString(),
        ["from"] = From?.ToString(DateFormat, CultureInfo.InvariantCulture),
        ["to"] = To?.ToString(DateFormat, CultureInfo.InvariantCulture),
    };

    /// <summary>The query string (with its leading '?', or empty) for links such as the CSV export.</summary>
    public string ToQueryString()
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in ToQueryParameters())
        {
            if (value is string s)
            {
                builder.Append(builder.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(s));
            }
        }
        return builder.ToString();
    }

    /// <summary>A plain description for audit summaries, e.g. <c>action=auth.sign-in, from=2026-11-01</c>.</summary>
    public string Describe()
    {
        var parts = ToQueryParameters().Where(p => p.Value is not null).Select(p => $"{p.Key}={p.Value}").ToList();
        return parts.Count == 0 ? "no filter" : string.Join(", ", parts);
    }

    /// <summary>The UTC instant a calendar day starts in <paramref name="zone"/> (the first valid time where daylight saving skips midnight).</summary>
    public static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static DateOnly? ParseDay(string? value) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
