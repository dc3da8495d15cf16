using System.Security.Claims;

namespace Kuroco.Core.Api;

/// <summary>
/// The claims an authenticated API key carries (scheme <see cref="ApiKeyDefaults.Scheme"/>).
/// Claim names are part of the cross-feature contract: do not rename.
/// </summary>
public static class ApiClaims
{
    public const string KeyId = "kuroco:api_key_id";
    /// <summary>One claim per allowed content type API identifier, or a single "*" for every type.</summary>
    public const string Types = "kuroco:api_types";
    /// <summary>"read" or "read-write".</summary>
    public const string Access = "kuroco:api_access";
    public const string KeyName = "kuroco:api_key_name";
    /// <summary>The key's display prefix ("kk_" and 8 characters, as the console lists it; never the secret).</summary>
    public const string KeyPrefix = "kuroco:api_key_prefix";
    /// <summary>Expiry as an ISO 8601 UTC instant (absent when the key does not expire).</summary>
    public const string ExpiresAt = "kuroco:api_key_expires";

    public const string AllTypes = "*";
    public const string ReadValue = "read";
    public const string ReadWriteValue = "read-write";

    public static string ToClaimValue(ApiAccess access) => access == ApiAccess.Write ? ReadWriteValue : ReadValue;

    public static ApiAccess? ParseAccess(string? value) => value switch
    {
        ReadValue => ApiAccess.Read,
        ReadWriteValue => ApiAccess.Write,
        _ => null,
    };
}

/// <summary>Names shared by the API-key authentication scheme and the endpoints that use it.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme of /api/v1.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The authorization policy every /api/v1 endpoint that needs a key uses (authenticated by <see cref="Scheme"/> only).</summary>
    public const string Policy = "Api.Key";

    public const string HeaderName = "X-API-Key";
}

/// <summary>
/// What the calling key may reach: a set of content types (or all) and an access level.
/// Endpoints check <see cref="Allows"/> before touching a type.
/// </summary>
public sealed class ApiKeyScope
{
    private readonly HashSet<string> types;

    public ApiKeyScope(Guid keyId, bool allTypes, IEnumerable<string> types, ApiAccess access)
    {
        ArgumentNullException.ThrowIfNull(types);
        KeyId = keyId;
        AllTypes = allTypes;
        this.types = new HashSet<string>(types, StringComparer.Ordinal);
        Access = access;
    }

    public Guid KeyId { get; }

    public bool AllTypes { get; }

    /// <summary>The allowed content types (empty when <see cref="AllTypes"/>), sorted.</summary>
    public IReadOnlyList<string> Types => [.. types.Order(StringComparer.Ordinal)];

    public ApiAccess Access { get; }

    /// <summary>
    /// True when the key may use <paramref name="typeApiId"/> with <paramref name="access"/>: the type is
    /// allowed (or every type is) and a write needs a read-write key. Type identifiers are compared
    /// exactly (they are lowercase by rule).
    /// </summary>
    public bool Allows(string typeApiId, ApiAccess access)
    {
        if (string.IsNullOrEmpty(typeApiId))
        {
            return false;
        }
        if (access == ApiAccess.Write && Access != ApiAccess.Write)
        {
            return false;
        }
        return AllTypes || types.Contains(typeApiId);
    }

    /// <summary>The claims of this scope, as the authentication handler issues them.</summary>
    public IEnumerable<Claim> ToClaims()
    {
        yield return new Claim(ApiClaims.KeyId, KeyId.ToString("D"));
        if (AllTypes)
        {
            yield return new Claim(ApiClaims.Types, ApiClaims.AllTypes);
        }
        else
        {
            foreach (var type in Types)
            {
                yield return new Claim(ApiClaims.Types, type);
            }
        }
        yield return new Claim(ApiClaims.Access, ApiClaims.ToClaimValue(Access));
    }

    /// <summary>Reads the scope back from claims; null when the principal is not an API key.</summary>
    public static ApiKeyScope? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.FindFirst(ApiClaims.KeyId)?.Value is not { } id || !Guid.TryParse(id, out var keyId))
        {
            return null;
        }
        if (ApiClaims.ParseAccess(principal.FindFirst(ApiClaims.Access)?.Value) is not { } access)
        {
            return null;
        }
        var typeClaims = principal.FindAll(ApiClaims.Types).Select(c => c.Value).ToList();
        var all = typeClaims.Contains(ApiClaims.AllTypes, StringComparer.Ordinal);
        return new ApiKeyScope(keyId, all, all ? [] : typeClaims, access);
    }
}

public static class ApiKeyScopeExtensions
{
    /// <summary>The calling API key's scope (from <c>HttpContext.User</c>), or null when the request is not authenticated by a key.</summary>
    public static ApiKeyScope? GetApiKeyScope(this ClaimsPrincipal principal) => ApiKeyScope.FromPrincipal(principal);
}
