using System.Globalization;
using System.Text.Json;

namespace Kuroco.Core.Content;

/// <summary>
/// The values of one language of an item: field key to a string form. Numbers are invariant
/// decimals, booleans "true"/"false", dates ISO 8601 UTC ("O"), media and references a Guid,
/// multiple choice and tags one entry per line. Stored as a JSON object.
/// </summary>
public static class ContentValues
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Dictionary<string, string?> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new(StringComparer.Ordinal);
        }
        var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(json, Json);
        return values is null ? new(StringComparer.Ordinal) : new(values, StringComparer.Ordinal);
    }

    public static string Serialize(IReadOnlyDictionary<string, string?> values) =>
        JsonSerializer.Serialize(values.Where(v => !string.IsNullOrEmpty(v.Value)).OrderBy(v => v.Key, StringComparer.Ordinal)
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), Json);

    /// <summary>The JSON text a value has inside a serialized object (for a candidate search by LIKE).</summary>
    public static string JsonFragment(string key, string value) =>
        JsonSerializer.Serialize(key, Json) + ":" + JsonSerializer.Serialize(value, Json);

    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrEmpty(value) ? [] : [.. value.Split('\n').Select(v => v.Trim()).Where(v => v.Length > 0)];

    public static string JoinList(IEnumerable<string> values) => string.Join('\n', values.Select(v => v.Trim()).Where(v => v.Length > 0));

    public static bool HasAny(IReadOnlyDictionary<string, string?> values) => values.Values.Any(v => !string.IsNullOrEmpty(v));

    /// <summary>A value as a JSON-friendly object for the delivery API: string, decimal, bool, DateTime, Guid or string[].</summary>
    public static object? ToTyped(FieldDefinition field, string? value)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (string.IsNullOrEmpty(value))
        {
            return field.IsListKind ? Array.Empty<string>() : null;
        }
        return field.Kind switch
        {
            FieldKind.Number => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null,
            FieldKind.Boolean => bool.TryParse(value, out var b) ? b : null,
            FieldKind.DateTime => DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null,
            FieldKind.Media or FieldKind.Reference => Guid.TryParse(value, out var g) ? g : null,
            FieldKind.MultipleChoice or FieldKind.Tags => SplitList(value).ToArray(),
            _ => value,
        };
    }
}
