using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>
/// Generates signing secrets and keeps them encrypted at rest with Data Protection (the server must
/// read them back to sign, so they cannot be hashed). Never logs a secret.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Prefix = "whsec_";
    private readonly IDataProtector protector = provider.CreateProtector("Kuroco.Webhooks.SigningSecret.v1");

    public static string Generate() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
