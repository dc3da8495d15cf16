using System.Text.Json;
using Kuroco.Core.Common;
using Kuroco.Core.Content;

namespace Kuroco.Core.Members;

/// <summary>
/// The custom profile fields of a member (<see cref="MemberProfileSchema"/>) over the API: typed JSON in, the string
/// form of <see cref="ContentValues"/> stored in <see cref="Member.ProfileJson"/>, every active field checked with the
/// content rules (<see cref="FieldRules"/>: required, lengths, patterns, ranges, choices). Field errors are keyed
/// <c>profile.KEY</c>.
/// </summary>
public static class MemberAccountProfile
{
    public const string ErrorPrefix = "profile.";

    /// <summary>
    /// Applies <paramref name="changes"/> (JSON null clears a field) to <paramref name="values"/> and validates the
    /// result; empty when valid. Unknown or archived keys and values of the wrong JSON type are refused.
    /// </summary>
    public static IReadOnlyList<FieldError> Apply(IEnumerable<FieldDefinition> fields, Dictionary<string, string?> values,
        IReadOnlyDictionary<string, JsonElement>? changes)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        var active = fields.Where(f => !f.IsArchived && MemberProfileSchema.AllowedKinds.Contains(f.Kind))
            .ToDictionary(f => f.Key, StringComparer.Ordinal);
        var errors = new List<FieldError>();
        foreach (var (key, json) in changes ?? new Dictionary<string, JsonElement>())
        {
            var name = key.Length <= FieldDefinition.KeyMaxLength ? key : key[..FieldDefinition.KeyMaxLength];
            if (!active.TryGetValue(key, out var field))
            {
                errors.Add(new FieldError(ErrorPrefix + name, MemberAccountMessages.Format("Member.Profile.UnknownField", name)));
                continue;
            }
            if (!ContentJsonValues.TryConvert(field, json, out var value, out var error))
            {
                errors.Add(new FieldError(ErrorPrefix + key, MemberAccountMessages.Format("Member.Profile.WrongType", field.DisplayLabel(), error ?? "")));
                continue;
            }
            if (string.IsNullOrEmpty(value))
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }
        // Every rule of every field is reported at once (a field whose value had the wrong type is reported once).
        foreach (var field in active.Values.Where(f => !errors.Any(e => e.Field == ErrorPrefix + f.Key)))
        {
            errors.AddRange(FieldRules.Validate(field, values.GetValueOrDefault(field.Key), field.DisplayLabel())
                .Select(message => new FieldError(ErrorPrefix + field.Key, message)));
        }
        return errors;
    }

    /// <summary>The active fields' values typed for JSON (numbers, booleans, dates, lists), every active field present.</summary>
    public static Dictionary<string, object?> Typed(IEnumerable<FieldDefinition> fields, string? profileJson)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var values = ContentValues.Parse(profileJson);
        return fields.Where(f => !f.IsArchived && MemberProfileSchema.AllowedKinds.Contains(f.Kind))
            .ToDictionary(f => f.Key, f => ContentValues.ToTyped(f, values.GetValueOrDefault(f.Key)), StringComparer.Ordinal);
    }
}
