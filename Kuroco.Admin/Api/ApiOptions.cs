namespace Kuroco.Admin.Api;

/// <summary>Settings under Kuroco:Api.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Kuroco:Api";

    /// <summary>
    /// Origins (scheme, host and optional port, e.g. "https://www.example.com") whose browser scripts may
    /// call /api/v1. Empty: no cross-origin browser access. No wildcard, no credentials.
    /// </summary>
    public IList<string> CorsOrigins { get; } = [];

    /// <summary>Each origin in the canonical form the CORS middleware compares ("https://example.com", no trailing slash).</summary>
    public IReadOnlyList<string> NormalizedOrigins() => [.. CorsOrigins.Select(o => TryNormalizeOrigin(o, out var n) ? n : o).Distinct(StringComparer.OrdinalIgnoreCase)];

    public bool HasValidOrigins() => CorsOrigins.All(o => TryNormalizeOrigin(o, out _));

    /// <summary>An http(s) origin: scheme and host (and port), no path, query, fragment or user info, no wildcard.</summary>
    public static bool TryNormalizeOrigin(string? value, out string origin)
    {
        origin = "";
        if (string.IsNullOrWhiteSpace(value) || value.Contains('*', StringComparison.Ordinal) || Kuroco.Core.Common.HeaderValues.HasLineBreak(value))
        {
            return false;
        }
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }
        origin = uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        return true;
    }
}
