using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// Data Protection (cookies, antiforgery tokens, API cursors, webhook secrets): keys in the database, shared by every
/// instance. With <see cref="CertificatePathKey"/> set, each key is encrypted at rest with that certificate
/// (ASP.NET Core's ProtectKeysWithCertificate); without it, keys are stored unencrypted and ASP.NET Core logs
/// "No XML encryptor configured" once at start-up.
/// </summary>
internal static class DataProtectionSetup
{
    public const string CertificatePathKey = "Kuroco:DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "Kuroco:DataProtection:CertificatePassword";
    public const string PreviousCertificatePathKey = "Kuroco:DataProtection:PreviousCertificatePath";
    public const string PreviousCertificatePasswordKey = "Kuroco:DataProtection:PreviousCertificatePassword";

    public static void AddKurocoDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddDataProtection().SetApplicationName("Kuroco").PersistKeysToDbContext<KurocoDbContext>();
        var path = configuration[CertificatePathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }
        var certificate = Load(CertificatePathKey, path, CertificatePasswordKey, configuration[CertificatePasswordKey]);
        // Unprotecting uses the certificates directly: by default the decryptor looks them up in the machine's
        // X.509 store, where a file-based certificate on Linux is not. The previous certificate (during a
        // rotation) still reads the keys it encrypted; new keys use the current one.
        var previousPath = configuration[PreviousCertificatePathKey];
        X509Certificate2[] readers = string.IsNullOrWhiteSpace(previousPath)
            ? [certificate]
            : [certificate, Load(PreviousCertificatePathKey, previousPath, PreviousCertificatePasswordKey, configuration[PreviousCertificatePasswordKey])];
        builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(readers);
    }

    private static X509Certificate2 Load(string pathKey, string path, string passwordKey, string? password)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"{pathKey}: there is no file at '{path}'.");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            // The message never includes the password.
            throw new ConfigurationException(
                $"{pathKey}: '{path}' could not be read as a PKCS#12 (.pfx) file; check the file and {passwordKey}.");
        }
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            certificate.Dispose();
            throw new ConfigurationException($"{pathKey}: '{path}' must hold an RSA certificate with its private key.");
        }
        return certificate;
    }
}
