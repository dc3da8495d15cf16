using System.Globalization;
using System.Text;
using FluentValidation.Results;
using Kuroco.Core.Audit;

namespace Kuroco.Admin.Audit;

/// <summary>
/// The audit search's filters as they travel in the page's address, the API's and the exports' (shareable):
/// <c>q</c> (free text), <c>preset</c> (today, yesterday, last7, last30, thismonth, lastmonth, custom), <c>from</c>/<c>to</c>
/// (calendar days yyyy-MM-dd in the viewer's time zone, both inclusive; a custom range), <c>user</c>, <c>role</c>,
/// <c>action</c> (repeated: any of them), <c>entity</c> and <c>entityId</c>, <c>ip</c> (an address or CIDR block) and
/// <c>outcome</c>. <see cref="Read"/> validates them (<see cref="AuditFilterValidator"/>); a bad value is an error, never ignored.
/// </summary>
public sealed record AuditFilter
{
    private static readonly AuditFilterValidator Validator = new();

    public string? Text { get; init; }
    public AuditTimePreset Preset { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public string? User { get; init; }
    public string? Role { get; init; }

    /// <summary>The chosen action codes, sorted and comma-joined (so that two filters compare by value); see <see cref="ActionList"/>.</summary>
    public string Actions { get; init; } = "";

    public string? EntityType { get; init; }
    public string? EntityId { get; init; }

    /// <summary>The address or block as typed (validated); <see cref="Address"/> reads it.</summary>
    public string? Ip { get; init; }

    public AuditOutcome? Outcome { get; init; }

    public static AuditFilter Empty { get; } = new();

    public bool IsEmpty => this == Empty;

    public IReadOnlyList<string> ActionList => Actions.Length == 0 ? [] : Actions.Split(',');

    public AuditAddressRange? Address => AuditAddressRange.TryParse(Ip, out var range) ? range : null;

    public AuditFilter WithActions(IEnumerable<string> actions) =>
        this with { Actions = string.Join(',', actions.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) };

    /// <summary>Reads and validates the raw values: the filter, or the errors (with the query-string name of each bad value).</summary>
    public static (AuditFilter? Filter, ValidationResult Result) Read(AuditFilterInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = Validator.Validate(input);
        if (!result.IsValid)
        {
            return (null, result);
        }
        var presetName = input.Preset?.Trim();
        var preset = string.IsNullOrEmpty(presetName) ? AuditTimePreset.Custom : AuditFilterInput.PresetNames[presetName];
        var filter = new AuditFilter
        {
            Text = Clean(input.Text),
            Preset = preset,
            From = preset == AuditTimePreset.Custom && AuditFilterInput.TryParseDay(input.From?.Trim(), out var from) ? from : null,
            To = preset == AuditTimePreset.Custom && AuditFilterInput.TryParseDay(input.To?.Trim(), out var to) ? to : null,
            User = Clean(input.User),
            Role = Clean(input.Role),
            EntityType = Clean(input.EntityType),
            EntityId = Clean(input.EntityId),
            Ip = Clean(input.Ip),
            Outcome = AuditFilterInput.TryParseOutcome(input.Outcome?.Trim(), out var outcome) ? outcome : null,
        };
        return (filter.WithActions(input.Actions ?? []), result);
    }

    /// <summary>The calendar days (both inclusive, in the viewer's zone) the filter covers on <paramref name="today"/>, or null for all time.</summary>
    public (DateOnly? From, DateOnly? To) Days(DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        return Preset switch
        {
            AuditTimePreset.Today => (today, today),
            AuditTimePreset.Yesterday => (today.AddDays(-1), today.AddDays(-1)),
            AuditTimePreset.Last7Days => (today.AddDays(-6), today),
            AuditTimePreset.Last30Days => (today.AddDays(-29), today),
            AuditTimePreset.ThisMonth => (month, today),
            AuditTimePreset.LastMonth => (month.AddMonths(-1), month.AddDays(-1)),
            _ => (From, To),
        };
    }

    /// <summary>The reader's query: the days become UTC instants of <paramref name="zone"/>, the end day counted whole.</summary>
    public AuditQuery ToQuery(TimeZoneInfo zone, DateTime utcNow, int pageSize = 50)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone));
        var (from, to) = Days(today);
        return new AuditQuery(
            Text,
            null,
            Outcome,
            from is { } f ? StartOfDayUtc(f, zone) : null,
            to is { } t ? StartOfDayUtc(t.AddDays(1), zone) : null,
            pageSize)
        {
            Actions = ActionList,
            User = User,
            Role = Role,
            EntityType = EntityType,
            EntityId = EntityId,
            Address = Address,
        };
    }

    /// <summary>The query-string values; null removes a parameter (NavigationManager.GetUriWithQueryParameters).</summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>
    {
        ["q"] = Text,
        ["preset"] = Preset == AuditTimePreset.Custom ? null : AuditFilterInput.PresetNames.First(p => p.Value == Preset).Key,
        ["from"] = Preset == AuditTimePreset.Custom ? From?.ToString(AuditFilterInput.DateFormat, CultureInfo.InvariantCulture) : null,
        ["to"] = Preset == AuditTimePreset.Custom ? To?.ToString(AuditFilterInput.DateFormat, CultureInfo.InvariantCulture) : null,
        ["user"] = User,
        ["role"] = Role,
        ["action"] = ActionList.Count == 0 ? null : ActionList.ToArray(),
        ["entity"] = EntityType,
        ["entityId"] = EntityId,
        ["ip"] = Ip,
        ["outcome"] = Outcome?.ToString(),
    };

    /// <summary>The query string (with its leading '?', or empty) for links such as the exports.</summary>
    public string ToQueryString()
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in ToQueryParameters())
        {
            foreach (var item in value switch { string s => [s], string[] many => many, _ => [] })
            {
                builder.Append(builder.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(item));
            }
        }
        return builder.ToString();
    }

    /// <summary>A plain description for audit summaries, e.g. <c>action=auth.sign-in, preset=last7</c>.</summary>
    public string Describe()
    {
        var text = ToQueryString();
        return text.Length == 0 ? "no filter" : Uri.UnescapeDataString(text[1..]).Replace("&", ", ", StringComparison.Ordinal);
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

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
