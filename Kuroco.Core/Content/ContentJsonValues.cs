using System.Globalization;
using System.Text.Json;

namespace Kuroco.Core.Content;

/// <summary>
/// Typed JSON values (what the management API receives) to the string form items store
/// (<see cref="ContentValues"/>): the inverse of <see cref="ContentValues.ToTyped"/>. Only the JSON type
/// is checked here; every other rule (required, lengths, patterns, choices, ids) is
/// <see cref="FieldRules"/>' and the item service's, exactly as for the console. Messages are in English:
/// they are for developers calling the API.
/// </summary>
public static class ContentJsonValues
{
    /// <summary>
    /// Converts <paramref name="json"/> for <paramref name="field"/>. JSON null clears the value. Returns false with
    /// <paramref name="error"/> when the JSON type does not fit the field's kind.
    /// </summary>
    public static bool TryConvert(FieldDefinition field, JsonElement json, out string? value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(field);
        value = null;
        error = null;
        if (json.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        switch (field.Kind)
        {
            case FieldKind.Number:
                if (json.ValueKind != JsonValueKind.Number)
                {
                    return Fail(out error, "must be a JSON number");
                }
                if (!json.TryGetDecimal(out var number))
                {
                    return Fail(out error, "is out of the range of numbers this field can hold");
                }
                value = number.ToString(CultureInfo.InvariantCulture);
                return true;
            case FieldKind.Boolean:
                if (json.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return Fail(out error, "must be true or false");
                }
                value = json.ValueKind == JsonValueKind.True ? "true" : "false";
                return true;
            case FieldKind.DateTime:
                if (json.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(json.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    return Fail(out error, "must be an ISO 8601 date-time string such as \"2026-11-26T09:00:00+09:00\" (UTC when no offset is given)");
                }
                value = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
                return true;
            case FieldKind.MultipleChoice or FieldKind.Tags:
                if (json.ValueKind != JsonValueKind.Array)
                {
                    return Fail(out error, "must be a JSON array of strings");
                }
                var entries = new List<string>();
                foreach (var entry in json.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.String)
                    {
                        return Fail(out error, "must be a JSON array of strings");
                    }
                    var text = entry.GetString()!;
                    if (text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
                    {
                        return Fail(out error, "entries must not contain line breaks");
                    }
                    entries.Add(text);
                }
                value = ContentValues.JoinList(entries);
                return true;
            default:
                // Text kinds, single choice, and media/reference ids (a Guid in string form).
                if (json.ValueKind != JsonValueKind.String)
                {
                    return Fail(out error, field.Kind is FieldKind.Media or FieldKind.Reference
                        ? "must be an item id (a GUID string)"
                        : "must be a JSON string");
                }
                value = json.GetString();
                return true;
        }
    }

    private static bool Fail(out string? error, string message)
    {
        error = message;
        return false;
    }
}
