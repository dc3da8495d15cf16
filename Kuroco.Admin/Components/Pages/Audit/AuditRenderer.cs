using System.Globalization;
using System.Text.RegularExpressions;
using Kuroco.Core.Audit;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Components.Pages.Audit;

/// <summary>
/// Renders language-neutral audit entries for a person, in the current UI culture and the viewer's time zone:
/// the summary from the template <c>summary:{action}</c> (or <c>summary:{action}:{variant}</c> when the entry has a
/// <c>variant</c> parameter), role names (<c>role:{code}</c>), entity types (<c>entity:{code}</c>), field labels
/// (<c>field:{name}</c>, also for the comma-separated parameter <c>fields</c>) and values (<c>value:true</c>, <c>value:{field}:{code}</c>, ISO-8601 times in the zone).
/// Entries of format 1 show the English summary they were stored with.
/// </summary>
internal sealed partial class AuditRenderer(IStringLocalizer<AuditResource> localizer, TimeZoneInfo zone)
{
    public const string SummaryPrefix = "summary:";

    /// <summary>The parameter that picks a variant of the summary template (e.g. a password change that was required).</summary>
    public const string VariantParameter = "variant";

    /// <summary>The placeholders every template may use besides the entry's parameters.</summary>
    public static IReadOnlySet<string> EntryPlaceholders { get; } = new HashSet<string>(StringComparer.Ordinal) { "actor", "entityId", "entityType" };

    public string Summary(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.FormatVersion < AuditEntry.ParametersFormat)
        {
            return entry.Summary;
        }
        return Summary(entry.Action, entry.ActorName, entry.EntityType, entry.EntityId, AuditParameters.Deserialize(entry.Parameters));
    }

    public string Summary(string action, string actor, string entityType, string? entityId, IReadOnlyDictionary<string, string?> parameters)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(parameters);
        var template = Template(action, parameters);
        if (template is null)
        {
            // An action without a template (written by a newer version): its name and the entity.
            var name = localizer[AuditDisplay.ActionName(action)].Value;
            return entityId is null ? name : string.Create(CultureInfo.InvariantCulture, $"{name} ({EntityTypeName(entityType)} {entityId})");
        }
        return Placeholder().Replace(template, match =>
        {
            var key = match.Groups["key"].Value;
            return key switch
            {
                "actor" => actor,
                "entityId" => entityId ?? "—",
                "entityType" => EntityTypeName(entityType),
                _ => parameters.TryGetValue(key, out var value) ? Value(key, value) : match.Value,
            };
        });
    }

    /// <summary>The template of an action (its variant first), or null when there is none in this language.</summary>
    public string? Template(string action, IReadOnlyDictionary<string, string?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.TryGetValue(VariantParameter, out var variant) && !string.IsNullOrEmpty(variant))
        {
            var specific = localizer[SummaryPrefix + action + ":" + variant];
            if (!specific.ResourceNotFound)
            {
                return specific.Value;
            }
        }
        var general = localizer[SummaryPrefix + action];
        return general.ResourceNotFound ? null : general.Value;
    }

    /// <summary>The placeholders a template names.</summary>
    public static IEnumerable<string> Placeholders(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups["key"].Value);

    public string RoleName(string code) => Lookup("role:" + code) ?? code;

    /// <summary>A comma-separated list of role codes as the viewer reads it.</summary>
    public string RoleNames(string? codes) =>
        string.IsNullOrWhiteSpace(codes)
            ? localizer["value:none"].Value
            : string.Join(localizer["format:list-separator"].Value, codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(RoleName));

    public string EntityTypeName(string code) => Lookup("entity:" + code) ?? code;

    public string FieldLabel(string field) => Lookup("field:" + field) ?? field;

    /// <summary>A parameter or changed-field value as the viewer reads it.</summary>
    public string Value(string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (value is null)
        {
            return "—";
        }
        if (IsRoleField(name))
        {
            return RoleNames(value);
        }
        if (string.Equals(name, "fields", StringComparison.Ordinal))
        {
            return string.Join(localizer["format:list-separator"].Value,
                value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(FieldLabel));
        }
        if (string.Equals(name, "entityType", StringComparison.Ordinal))
        {
            return EntityTypeName(value);
        }
        if (value is "true" or "True" or "false" or "False")
        {
            return localizer[value.Length == 4 ? "value:true" : "value:false"].Value;
        }
        if (IsoTime().IsMatch(value)
            && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
            return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }
        return Lookup("value:" + name + ":" + value) ?? value;
    }

    private static bool IsRoleField(string name) =>
        name.Equals("roles", StringComparison.OrdinalIgnoreCase)
        || name.Equals("role", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Roles", StringComparison.Ordinal)
        || name.EndsWith("Role", StringComparison.Ordinal);

    private string? Lookup(string key)
    {
        var text = localizer[key];
        return text.ResourceNotFound ? null : text.Value;
    }

    [GeneratedRegex(@"\{(?<key>[A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex IsoTime();
}
