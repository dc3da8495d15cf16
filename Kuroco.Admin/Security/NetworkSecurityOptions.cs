using System.ComponentModel.DataAnnotations;
using Kuroco.Core.Security;

namespace Kuroco.Admin.Security;

/// <summary>Settings under Kuroco:Security.</summary>
public sealed class NetworkSecurityOptions
{
    public const string SectionName = "Kuroco:Security";

    /// <summary>
    /// Addresses or CIDR ranges of the reverse proxies / load balancers whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed. Empty: the headers are ignored and the socket's peer is the client.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>Emergency override for an operator locked out by an allowlist: no IP restriction is enforced.</summary>
    public bool DisableIpRestrictions { get; set; }

    public bool HasValidProxies() => TrustedProxies.All(IpRange.IsValid);
}

/// <summary>Settings under Kuroco:RateLimits (requests per minute).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Kuroco:RateLimits";

    /// <summary>Sign-in posts per client address per minute.</summary>
    [Range(1, 100_000)]
    public int SignInPerIpPerMinute { get; set; } = 20;

    /// <summary>Sign-in attempts per account (email) per minute; the account lockout applies as well.</summary>
    [Range(1, 100_000)]
    public int SignInPerAccountPerMinute { get; set; } = 10;

    /// <summary>Strength-meter checks (POST /account/password-check) per client address per minute.</summary>
    [Range(1, 100_000)]
    public int PasswordCheckPerMinute { get; set; } = 120;

    /// <summary>API requests per client address per minute (whatever key they carry).</summary>
    [Range(1, 1_000_000)]
    public int ApiPerClientPerMinute { get; set; } = 600;

    /// <summary>API requests per API key per minute (from any address).</summary>
    [Range(1, 1_000_000)]
    public int ApiPerKeyPerMinute { get; set; } = 1200;
}
