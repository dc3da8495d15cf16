using Kuroco.Core.Backups;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Backups;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Backups.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Unit.Backups;

public sealed class S3BackupOptionsTests
{
    private static S3BackupOptions Valid() => new()
    {
        ServiceUrl = "http://127.0.0.1:9000",
        Bucket = "kuroco-backups",
        AccessKey = "minio",
        SecretKey = "very-secret-key",
    };

    [Fact]
    public void Valid_settings_have_no_problem_and_keep_the_defaults()
    {
        var options = Valid();

        Assert.Empty(options.Problems());
        Assert.Equal("kuroco-backups/", options.NormalizedPrefix);
        Assert.True(options.ForcePathStyle);
        Assert.Equal(16 * 1024 * 1024, options.PartSizeBytes);
        Assert.Equal("none", options.ServerSideEncryptionMethod);
        Assert.Empty(new S3BackupOptions { Bucket = "b-1", Region = "ap-northeast-1", Prefix = "", ServerSideEncryption = "aws:kms", KmsKeyId = "alias/backups" }.Problems());
        Assert.Equal("nightly/", new S3BackupOptions { Prefix = "nightly" }.NormalizedPrefix);
        Assert.Equal("AES256", new S3BackupOptions { ServerSideEncryption = "aes256" }.ServerSideEncryptionMethod);
    }

    [Theory]
    [InlineData("Bucket", "", "Backups:S3:Bucket is required")]
    [InlineData("Bucket", "Has_Upper", "Backups:S3:Bucket \"Has_Upper\" is not a valid bucket name")]
    [InlineData("ServiceUrl", "ftp://host", "Backups:S3:ServiceUrl must be an absolute http:// or https:// address")]
    [InlineData("ServiceUrl", "http://user:pw@host", "Backups:S3:ServiceUrl must not carry credentials")]
    [InlineData("ServiceUrl", "", "Backups:S3: set ServiceUrl (an S3-compatible server) or Region (AWS S3)")]
    [InlineData("AccessKey", "", "Backups:S3: set both AccessKey and SecretKey, or neither")]
    [InlineData("Prefix", "/abs/", "Backups:S3:Prefix must be a relative folder")]
    [InlineData("Prefix", "a/../b/", "Backups:S3:Prefix must be a relative folder")]
    [InlineData("ServerSideEncryption", "aws:kms:dsse", "Backups:S3:ServerSideEncryption must be \"none\", \"AES256\" or \"aws:kms\"")]
    [InlineData("KmsKeyId", "alias/x", "Backups:S3:KmsKeyId is only used with ServerSideEncryption \"aws:kms\"")]
    [InlineData("PartSizeMB", "4", "Backups:S3:PartSizeMB must be between 5 and 5120")]
    [InlineData("PartSizeMB", "5121", "Backups:S3:PartSizeMB must be between 5 and 5120")]
    public void A_bad_setting_gives_one_problem_naming_it_and_never_the_secret(string setting, string value, string problem)
    {
        var options = Valid();
        var property = typeof(S3BackupOptions).GetProperty(setting)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : value);

        var found = Assert.Single(options.Problems());

        Assert.StartsWith(problem, found, StringComparison.Ordinal);
        Assert.DoesNotContain(options.SecretKey ?? "very-secret-key", found, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-key", options.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, BackupStorageMode.Local)]
    [InlineData("", BackupStorageMode.Local)]
    [InlineData("local", BackupStorageMode.Local)]
    [InlineData("S3", BackupStorageMode.S3)]
    [InlineData(" both ", BackupStorageMode.Both)]
    public void The_storage_setting_chooses_local_S3_or_both(string? value, BackupStorageMode mode)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Backups:Storage"] = value }).Build();

        Assert.Equal(mode, S3BackupServices.StorageMode(configuration));
    }

    [Theory]
    [InlineData("Local", new[] { BackupLocation.Local })]
    [InlineData("S3", new[] { BackupLocation.S3 })]
    [InlineData("Both", new[] { BackupLocation.Local, BackupLocation.S3 })]
    public void The_storage_setting_registers_the_stores_the_engine_writes_to_local_first(string storage, BackupLocation[] locations)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Backups:Storage"] = storage,
            ["Backups:S3:ServiceUrl"] = "http://127.0.0.1:9000",
            ["Backups:S3:Bucket"] = "kuroco",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Configure(o => o.DataPath = Path.GetTempPath());
        services.AddBackups(configuration);
        services.AddS3BackupStorage(configuration);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(locations, provider.GetServices<IBackupStore>().Select(s => s.Location));
    }

    [Fact]
    public void An_unknown_storage_setting_stops_the_app_with_a_clear_message()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Backups:Storage"] = "7" }).Build();

        var error = Assert.Throws<ConfigurationException>(() => S3BackupServices.StorageMode(configuration));

        Assert.Equal("Backups:Storage must be Local, S3 or Both (not \"7\").", error.Message);
    }
}
