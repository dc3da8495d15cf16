using System.Text.RegularExpressions;
using Kuroco.Core.Common;

namespace Kuroco.Core.Api;

/// <summary>One stored API key. The secret is not here: only its SHA-256 and a display prefix.</summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 100;
    public const int MaxTypes = 100;

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>"kk_" and the first 8 characters: shown in the list, and the lookup index.</summary>
    public string Prefix { get; set; } = "";
    /// <summary>SHA-256 of the whole key.</summary>
    public byte[] SecretHash { get; set; } = [];
    public bool AllTypes { get; set; }
    /// <summary>Allowed content type API identifiers, space separated (empty when <see cref="AllTypes"/>).</summary>
    public string Types { get; set; } = "";
    public ApiAccess Access { get; set; }
    public DateTime? ExpiresAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public string? CreatedBy { get; set; }
    /// <summary>Updated at most once a minute per key.</summary>
    public DateTime? LastUsedAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
    public string? RevokedBy { get; set; }

    public IReadOnlyList<string> TypeList => AllTypes ? [] : Types.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public ApiKeyScope Scope => new(Id, AllTypes, TypeList, Access);
}

/// <summary>A key as the console lists it.</summary>
public sealed record ApiKeySummary(
    Guid Id,
    string Name,
    string Prefix,
    bool AllTypes,
    IReadOnlyList<string> Types,
    ApiAccess Access,
    DateTime? ExpiresAtUtc,
    DateTime CreatedAtUtc,
    string? CreatedBy,
    DateTime? LastUsedAtUtc,
    DateTime? RevokedAtUtc)
{
    public bool IsRevoked => RevokedAtUtc.HasValue;

    public bool IsExpired(DateTime nowUtc) => ExpiresAtUtc is { } expires && expires <= nowUtc;

    public bool IsActive(DateTime nowUtc) => !IsRevoked && !IsExpired(nowUtc);
}

/// <summary>What an Administrator fills in to create a key.</summary>
public sealed class CreateApiKeyRequest
{
    public string Name { get; set; } = "";
    public bool AllTypes { get; set; } = true;
    /// <summary>Content type API identifiers, one per entry (used when <see cref="AllTypes"/> is false).</summary>
    public IList<string> Types { get; set; } = [];
    public ApiAccess Access { get; set; } = ApiAccess.Read;
    /// <summary>UTC; null for a key that does not expire.</summary>
    public DateTime? ExpiresAtUtc { get; set; }
}

/// <summary>A created key: its summary and the secret, to be shown once.</summary>
public sealed record ApiKeyCreated(ApiKeySummary Key, string Secret)
{
    /// <summary>Never the secret: records print every property, and this one may reach a log.</summary>
    public override string ToString() => $"ApiKeyCreated {{ Key = {Key.Prefix}… }}";
}

/// <summary>Content type API identifiers: the cross-feature rule.</summary>
public static partial class ContentTypeIds
{
    public const int MaxLength = 63;

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[a-z][a-z0-9-]{1,62}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}

/// <summary>API keys in the console (Administrators). Every change is audited, never with the secret.</summary>
public interface IApiKeyService
{
    Task<IReadOnlyList<ApiKeySummary>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a key; fails with <see cref="ErrorKind.Validation"/> by input name (Name, Types, ExpiresAtUtc…).</summary>
    Task<Result<ApiKeyCreated>> CreateAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes at once: this instance forgets the key immediately, others within the cache time.
    /// <see cref="ErrorKind.NotFound"/> for an unknown key, <see cref="ErrorKind.Conflict"/> for one already revoked.
    /// </summary>
    Task<Result> RevokeAsync(Guid id, CancellationToken cancellationToken = default);
}

/// <summary>An active key found for a presented secret.</summary>
public sealed record ApiKeyIdentity(Guid Id, string Name, ApiKeyScope Scope, DateTime? ExpiresAtUtc);

/// <summary>Why a presented key was refused (logged; the caller sees one generic 401).</summary>
public enum ApiKeyRejection
{
    None = 0,
    Malformed,
    Unknown,
    Revoked,
    Expired,
}

public sealed record ApiKeyLookup(ApiKeyIdentity? Key, ApiKeyRejection Rejection);

/// <summary>Resolves presented keys for the authentication scheme (cached briefly) and records their use.</summary>
public interface IApiKeyValidator
{
    ValueTask<ApiKeyLookup> ValidateAsync(string presentedKey, CancellationToken cancellationToken = default);

    /// <summary>Notes that the key was used; the database is written at most once a minute per key.</summary>
    ValueTask TouchAsync(Guid keyId, CancellationToken cancellationToken = default);

    /// <summary>Drops a key from this instance's cache (after a revocation).</summary>
    void Forget(Guid keyId);
}

/// <summary>
/// Extension point for content types readable without a key. The API feature registers an
/// implementation that marks nothing public; the content feature replaces it with one that reads the
/// type's "public" flag. Delivery endpoints call it before requiring a key.
/// </summary>
public interface IPublicContentTypes
{
    ValueTask<bool> IsPublicAsync(string typeApiId, CancellationToken cancellationToken = default);
}
