using System.Globalization;
using System.Text.RegularExpressions;

namespace Kuroco.Core.Content;

/// <summary>What a condition asks of the index rows of one item.</summary>
public enum DeliveryConditionKind
{
    /// <summary>A row holds one of <see cref="DeliveryCondition.Values"/> (eq, in, list membership, tag).</summary>
    Match,
    /// <summary>No row holds the value (ne).</summary>
    NotMatch,
    /// <summary>A non-empty row sorts before the value (lt; publishedTo, exclusive).</summary>
    Less,
    /// <summary>A non-empty row sorts after the value (gt).</summary>
    Greater,
    /// <summary>A non-empty row is the value or after it (publishedFrom, inclusive).</summary>
    AtLeast,
    /// <summary>A row's search text contains the (lower-cased) value.</summary>
    Search,
}

/// <summary>One parsed condition over index rows. <see cref="Parameter"/> is the query key as sent, for errors.</summary>
public sealed record DeliveryCondition(string Parameter, IReadOnlyList<string> Keys, DeliveryConditionKind Kind, IReadOnlyList<string> Values, bool SingleValued);

/// <summary>One sort key: an index key (field key or built-in) and its direction.</summary>
public sealed record DeliverySort(string Key, bool Descending);

/// <summary>A keyset position: the sort values of the last row seen and its id.</summary>
public sealed record DeliveryPosition(IReadOnlyList<string> Values, Guid Id);

/// <summary>A parsed delivery list query (filters ANDed, 1–3 sort keys, ties by id in the last key's direction).</summary>
public sealed record DeliveryQuery(IReadOnlyList<DeliveryCondition> Conditions, IReadOnlyList<DeliverySort> Sorts, string? Cursor)
{
    /// <summary>The sort as a canonical string (e.g. "-releasedAt,title"), bound into cursors.</summary>
    public string SortSignature => string.Join(',', Sorts.Select(s => (s.Descending ? "-" : "") + s.Key));

    /// <summary>Whether the answer counts every match (<c>includeTotal</c>, default true); false skips the count (totals are null).</summary>
    public bool IncludeTotal { get; init; } = true;
}

/// <summary>A bad query parameter: <see cref="Parameter"/> is the key as sent; the detail is English (for developers).</summary>
public sealed record DeliveryQueryError(string Parameter, string Detail);

/// <summary>
/// Parses the delivery list query syntax (filter[field][op]=v, tag, publishedFrom/To, sort, cursor) against a type.
/// Pure: every value is parsed for the field's kind and turned into the index's comparable form.
/// </summary>
public static partial class DeliveryQueryParser
{
    public const int MaxSortKeys = 3;
    public const int MaxFilters = 20;
    public const int MaxInValues = 50;
    public const int MaxValueLength = 1000;
    public const int MaxCursorLength = 2000;

    private static readonly string[] Ops = ["eq", "ne", "lt", "gt", "in", "contains"];

    public static (DeliveryQuery? Query, DeliveryQueryError? Error) Parse(ContentType type, IEnumerable<KeyValuePair<string, string?[]>> parameters)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(parameters);
        var fields = type.ActiveFields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        var conditions = new List<DeliveryCondition>();
        IReadOnlyList<DeliverySort> sorts = [new DeliverySort(ContentIndexKeys.PublishedAt, true)];
        string? cursor = null;
        foreach (var (name, values) in parameters)
        {
            if (name.StartsWith("filter", StringComparison.Ordinal))
            {
                if (!TryFilterKey(name, out var fieldName, out var op))
                {
                    return Fail(name, "A filter is written filter[field][op]=value with op eq, ne, lt, gt, in or contains.");
                }
                foreach (var value in values)
                {
                    if (conditions.Count >= MaxFilters)
                    {
                        return Fail(name, $"At most {MaxFilters} filters.");
                    }
                    var (condition, error) = Filter(fields, name, fieldName, op, value ?? "");
                    if (error is not null)
                    {
                        return (null, error);
                    }
                    conditions.Add(condition!);
                }
                continue;
            }
            switch (name)
            {
                case "tag":
                    var tagKeys = fields.Values.Where(f => f.Kind == FieldKind.Tags).Select(f => f.Key).ToList();
                    if (tagKeys.Count == 0)
                    {
                        return Fail(name, $"The type '{type.ApiId}' has no tags field.");
                    }
                    foreach (var tag in values)
                    {
                        var t = (tag ?? "").Trim();
                        if (t.Length == 0 || t.Length > MaxValueLength || HasControl(t))
                        {
                            return Fail(name, "tag must be a non-empty tag.");
                        }
                        conditions.Add(new DeliveryCondition(name, tagKeys, DeliveryConditionKind.Match, [ContentIndexKeys.Text(t)], false));
                    }
                    break;
                case "publishedFrom":
                case "publishedTo":
                    if (values.Length != 1 || !TryDate(values[0], out var at))
                    {
                        return Fail(name, $"{name} must be one ISO-8601 date or date-time (UTC unless an offset is given).");
                    }
                    conditions.Add(new DeliveryCondition(name, [ContentIndexKeys.PublishedAt],
                        name == "publishedFrom" ? DeliveryConditionKind.AtLeast : DeliveryConditionKind.Less, [ContentIndexKeys.Date(at)], true));
                    break;
                case "sort":
                    if (values.Length != 1)
                    {
                        return Fail(name, "sort may be given once.");
                    }
                    var (parsed, sortError) = Sort(fields, values[0] ?? "");
                    if (sortError is not null)
                    {
                        return Fail(name, sortError);
                    }
                    sorts = parsed!;
                    break;
                case "cursor":
                    if (values.Length != 1 || string.IsNullOrEmpty(values[0]) || values[0]!.Length > MaxCursorLength)
                    {
                        return Fail(name, "cursor must be the nextCursor of an earlier answer.");
                    }
                    cursor = values[0];
                    break;
                default:
                    break; // page, pageSize, lang, fields, expand, ... belong to the endpoint
            }
        }
        return (new DeliveryQuery(conditions, sorts, cursor), null);
    }

    private static (DeliveryQuery?, DeliveryQueryError?) Fail(string parameter, string detail) => (null, new DeliveryQueryError(parameter, detail));

    /// <summary>filter[field][op] or filter[field] (eq).</summary>
    private static bool TryFilterKey(string name, out string field, out string op)
    {
        var match = FilterKey().Match(name);
        field = match.Success ? match.Groups["field"].Value : "";
        op = match.Success && match.Groups["op"].Success ? match.Groups["op"].Value : "eq";
        return match.Success;
    }

    [GeneratedRegex(@"^filter\[(?<field>[^\[\]]{1,80})\](?:\[(?<op>[^\[\]]{1,20})\])?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FilterKey();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IsoDate();

    private enum Kind { Text, LongText, Number, Boolean, Date, Id, List }

    private static Kind KindOf(FieldKind kind) => kind switch
    {
        FieldKind.ShortText or FieldKind.SingleChoice => Kind.Text,
        FieldKind.LongText or FieldKind.RichText or FieldKind.Markdown => Kind.LongText,
        FieldKind.Number => Kind.Number,
        FieldKind.Boolean => Kind.Boolean,
        FieldKind.DateTime => Kind.Date,
        FieldKind.Media or FieldKind.Reference => Kind.Id,
        _ => Kind.List,
    };

    private static bool Allows(Kind kind, string op) => kind switch
    {
        Kind.Text => op is "eq" or "ne" or "in" or "contains",
        Kind.LongText => op is "contains",
        Kind.Number or Kind.Date => op is "eq" or "ne" or "lt" or "gt" or "in",
        Kind.Boolean => op is "eq" or "ne",
        Kind.Id => op is "eq" or "ne" or "in",
        _ => op is "contains" or "in",
    };

    private static (DeliveryCondition?, DeliveryQueryError?) Filter(Dictionary<string, FieldDefinition> fields, string parameter, string fieldName, string op, string raw)
    {
        string key;
        Kind kind;
        switch (fieldName)
        {
            case "publishedAt":
                (key, kind) = (ContentIndexKeys.PublishedAt, Kind.Date);
                break;
            case "updatedAt":
                (key, kind) = (ContentIndexKeys.UpdatedAt, Kind.Date);
                break;
            case "slug":
                (key, kind) = (ContentIndexKeys.Slug, Kind.Text);
                break;
            default:
                if (!fields.TryGetValue(fieldName, out var field))
                {
                    return (null, new DeliveryQueryError(parameter, $"'{fieldName}' is not a field of this type (nor publishedAt, updatedAt or slug)."));
                }
                (key, kind) = (field.Key, KindOf(field.Kind));
                break;
        }
        if (!Ops.Contains(op, StringComparer.Ordinal))
        {
            return (null, new DeliveryQueryError(parameter, $"Unknown operator '{op}': use eq, ne, lt, gt, in or contains."));
        }
        if (!Allows(kind, op))
        {
            return (null, new DeliveryQueryError(parameter, $"The field '{fieldName}' cannot be filtered with '{op}'."));
        }
        if (raw.Length > MaxValueLength || HasControl(raw))
        {
            return (null, new DeliveryQueryError(parameter, $"A filter value is at most {MaxValueLength} characters without control characters."));
        }
        var single = kind != Kind.List;
        if (op == "contains")
        {
            if (raw.Length == 0)
            {
                return (null, new DeliveryQueryError(parameter, "contains needs a value."));
            }
            return kind == Kind.List
                ? (new DeliveryCondition(parameter, [key], DeliveryConditionKind.Match, [ContentIndexKeys.Text(raw.Trim())], false), null)
                : (new DeliveryCondition(parameter, [key], DeliveryConditionKind.Search, [ContentIndexKeys.Search(raw)], single), null);
        }
        var parts = op == "in" ? raw.Split(',') : [raw];
        if (parts.Length > MaxInValues)
        {
            return (null, new DeliveryQueryError(parameter, $"in takes at most {MaxInValues} values."));
        }
        var values = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (Value(kind, op == "in" ? part.Trim() : part) is not { } value)
            {
                return (null, new DeliveryQueryError(parameter, $"'{Short(part)}' is not a valid {Describe(kind)} for '{fieldName}'."));
            }
            values.Add(value);
        }
        var conditionKind = op switch
        {
            "ne" => DeliveryConditionKind.NotMatch,
            "lt" => DeliveryConditionKind.Less,
            "gt" => DeliveryConditionKind.Greater,
            _ => DeliveryConditionKind.Match,
        };
        return (new DeliveryCondition(parameter, [key], conditionKind, [.. values.Distinct(StringComparer.Ordinal)], single), null);
    }

    private static string? Value(Kind kind, string raw) => kind switch
    {
        Kind.Text or Kind.List => ContentIndexKeys.Text(kind == Kind.List ? raw.Trim() : raw),
        Kind.Number => decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
            ? ContentIndexKeys.Number(d) : null,
        Kind.Boolean => raw.ToLowerInvariant() switch { "true" => ContentIndexKeys.Boolean(true), "false" => ContentIndexKeys.Boolean(false), _ => null },
        Kind.Date => TryDate(raw, out var t) ? ContentIndexKeys.Date(t) : null,
        Kind.Id => Guid.TryParseExact(raw, "D", out var g) ? g.ToString("D") : null,
        _ => null,
    };

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Number => "number",
        Kind.Boolean => "boolean (true or false)",
        Kind.Date => "ISO-8601 date or date-time",
        Kind.Id => "id (a GUID)",
        _ => "value",
    };

    /// <summary>An ISO-8601 date or date-time; UTC when it has no offset.</summary>
    public static bool TryDate(string? raw, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrEmpty(raw) || raw.Length > 40 || !IsoDate().IsMatch(raw))
        {
            return false;
        }
        if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }
        utc = parsed.UtcDateTime;
        return true;
    }

    private static (IReadOnlyList<DeliverySort>?, string?) Sort(Dictionary<string, FieldDefinition> fields, string raw)
    {
        var parts = raw.Split(',');
        if (raw.Length == 0 || parts.Length > MaxSortKeys)
        {
            return (null, $"sort is 1 to {MaxSortKeys} comma-separated keys, each optionally prefixed with '-' for descending.");
        }
        var sorts = new List<DeliverySort>();
        foreach (var part in parts)
        {
            var descending = part.StartsWith('-');
            var name = descending ? part[1..] : part;
            string? key = name switch
            {
                "publishedAt" => ContentIndexKeys.PublishedAt,
                "updatedAt" => ContentIndexKeys.UpdatedAt,
                "slug" => ContentIndexKeys.Slug,
                _ => fields.TryGetValue(name, out var field) && ContentIndexKeys.IsSortable(field.Kind) ? field.Key : null,
            };
            if (key is null)
            {
                return (null, $"'{Short(name)}' is not a sortable key: use publishedAt, updatedAt, slug or a short text, number, boolean, date/time or single choice field.");
            }
            if (sorts.Any(s => s.Key == key))
            {
                return (null, $"'{Short(name)}' appears twice in sort.");
            }
            sorts.Add(new DeliverySort(key, descending));
        }
        return (sorts, null);
    }

    private static bool HasControl(string value) => value.Any(char.IsControl);

    private static string Short(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
