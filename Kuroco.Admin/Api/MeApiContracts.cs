namespace Kuroco.Admin.Api;

/// <summary>What <c>GET /api/v1/me</c> says about the calling key. Never the secret.</summary>
public sealed record ApiKeyInfo(
    Guid Id,
    string Name,
    /// <summary>Allowed content types; ["*"] for every type.</summary>
    IReadOnlyList<string> Types,
    /// <summary>"read" or "read-write".</summary>
    string Access,
    DateTimeOffset? ExpiresAt);
