using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Security;

/// <summary>Kuroco:DataProtection:CertificatePath encrypts the data-protection keys at rest in the database.</summary>
public sealed class DataProtectionCertificateTests : IDisposable
{
    private const string Password = "pfx-Passw0rd";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kuroco-tests", "dp-" + Guid.NewGuid().ToString("N"));

    public DataProtectionCertificateTests() => Directory.CreateDirectory(folder);

    [Fact]
    public async Task With_a_certificate_keys_are_stored_encrypted_and_a_restart_can_still_read_what_was_protected()
    {
        var pfx = WriteCertificate("dp.pfx");
        using var first = Factory(pfx);
        var protectedText = Protector(first).Protect("a session");
        var xml = await KeyXmlAsync(first);
        Assert.NotEmpty(xml);
        Assert.All(xml, x =>
        {
            Assert.Contains("encryptedSecret", x, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", x, StringComparison.Ordinal);
        });

        // A second instance on the same database and certificate reads it back (the first one's
        // folder is removed when it is disposed, so both run side by side, as several instances do).
        using var second = Factory(pfx, first.DataPath);
        Assert.Equal("a session", Protector(second).Unprotect(protectedText));
    }

    [Fact]
    public void After_a_rotation_the_previous_certificate_still_reads_the_keys_it_encrypted()
    {
        var oldPfx = WriteCertificate("old.pfx");
        var newPfx = WriteCertificate("new.pfx");
        using var before = Factory(oldPfx);
        var protectedText = Protector(before).Protect("a webhook secret");

        using var rotatedWithoutPrevious = Factory(newPfx, before.DataPath);
        Assert.ThrowsAny<CryptographicException>(() => Protector(rotatedWithoutPrevious).Unprotect(protectedText));

        using var rotated = Factory(newPfx, before.DataPath);
        rotated.Settings["Kuroco:DataProtection:PreviousCertificatePath"] = oldPfx;
        rotated.Settings["Kuroco:DataProtection:PreviousCertificatePassword"] = Password;
        Assert.Equal("a webhook secret", Protector(rotated).Unprotect(protectedText));
    }

    [Fact]
    public async Task Without_a_certificate_keys_are_stored_unencrypted_as_the_start_up_warning_says()
    {
        using var factory = new KurocoAppFactory();
        Protector(factory).Protect("x");
        var xml = await KeyXmlAsync(factory);
        Assert.Contains(xml, x => x.Contains("<masterKey", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_or_a_wrong_password_stops_the_start_with_the_setting_named_and_no_password_shown()
    {
        using (var missing = Factory(Path.Combine(folder, "absent.pfx")))
        {
            var error = Assert.Throws<ConfigurationException>(() => missing.Services);
            Assert.StartsWith("Kuroco:DataProtection:CertificatePath:", error.Message, StringComparison.Ordinal);
        }
        var pfx = WriteCertificate("other.pfx");
        using var wrong = Factory(pfx);
        wrong.Settings["Kuroco:DataProtection:CertificatePassword"] = "not-the-password";
        var wrongPassword = Assert.Throws<ConfigurationException>(() => wrong.Services);
        Assert.StartsWith("Kuroco:DataProtection:CertificatePath:", wrongPassword.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", wrongPassword.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static KurocoAppFactory Factory(string pfx, string? dataPath = null)
    {
        var factory = dataPath is null ? new KurocoAppFactory() : new SharedDataFactory(dataPath);
        factory.Settings["Kuroco:DataProtection:CertificatePath"] = pfx;
        factory.Settings["Kuroco:DataProtection:CertificatePassword"] = Password;
        return factory;
    }

    private static IDataProtector Protector(KurocoAppFactory factory) =>
        factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Kuroco.Tests.DataProtection");

    private static Task<List<string>> KeyXmlAsync(KurocoAppFactory factory) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().DataProtectionKeys.AsNoTracking().Select(k => k.Xml ?? "").ToListAsync());

    private string WriteCertificate(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Kuroco data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }

    /// <summary>A second app on the first one's data folder (same SQLite database).</summary>
    private sealed class SharedDataFactory(string dataPath) : KurocoAppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Storage:DataPath", dataPath);
        }
    }
}
