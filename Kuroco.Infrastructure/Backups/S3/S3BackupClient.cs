using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups.S3;

/// <summary>The AWS SDK client for Backups:S3, built once from the settings and disposed with the app.</summary>
public sealed class S3BackupClient : IDisposable
{
    private readonly AmazonS3Client client;

    public S3BackupClient(IOptions<S3BackupOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            // Checksums only where the API demands them: the SDK's default (a CRC trailer on every upload, aws-chunked)
            // is not understood by many S3-compatible servers. Parts are checked by SHA-256 in the manifest anyway.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 3,
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (!string.IsNullOrWhiteSpace(settings.ServiceUrl))
        {
            config.ServiceURL = settings.ServiceUrl;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(settings.Region) ? "us-east-1" : settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }
        client = string.IsNullOrWhiteSpace(settings.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
    }

    public IAmazonS3 Client => client;

    /// <summary>Raised before every request is sent (tests check the headers, e.g. server-side encryption).</summary>
    public event RequestEventHandler BeforeRequest
    {
        add => client.BeforeRequestEvent += value;
        remove => client.BeforeRequestEvent -= value;
    }

    public void Dispose() => client.Dispose();
}
