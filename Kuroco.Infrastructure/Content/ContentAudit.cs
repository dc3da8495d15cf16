using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// The parameters content audit entries store (language-neutral, rendered by the templates <c>summary:content.*</c>):
/// an item by its title, type code and slug; a type by its name and code.
/// </summary>
internal static class ContentAudit
{
    /// <summary>An item's title, type and slug, then <paramref name="more"/> (a null <c>variant</c> is left out).</summary>
    public static IReadOnlyDictionary<string, string?> Item(ContentItem item, params ReadOnlySpan<(string Name, string? Value)> more)
    {
        ArgumentNullException.ThrowIfNull(item);
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["title"] = item.Title,
            ["type"] = item.TypeApiId,
            ["slug"] = item.Slug,
        };
        return With(parameters, more);
    }

    /// <summary>A type's name and code.</summary>
    public static IReadOnlyDictionary<string, string?> Type(ContentType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return AuditParameters.Of(("name", type.Name), ("apiId", type.ApiId));
    }

    /// <summary>A UTC time as stored in parameters (ISO-8601), or null.</summary>
    public static string? Iso(DateTime? utc) =>
        utc?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static Dictionary<string, string?> With(Dictionary<string, string?> parameters, ReadOnlySpan<(string Name, string? Value)> more)
    {
        foreach (var (name, value) in more)
        {
            if (value is null && name == AuditParametersVariant)
            {
                continue;
            }
            parameters[name] = value;
        }
        return parameters;
    }

    private const string AuditParametersVariant = "variant";
}
