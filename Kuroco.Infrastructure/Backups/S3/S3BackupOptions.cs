using System.Text.RegularExpressions;

namespace Kuroco.Infrastructure.Backups.S3;

/// <summary>Where backups are written (Backups:Storage).</summary>
public enum BackupStorageMode
{
    /// <summary>The data folder (or Backups:LocalPath) only. The default.</summary>
    Local,

    /// <summary>The S3-compatible object store of Backups:S3 only.</summary>
    S3,

    /// <summary>Both: every backup is written to each store, and a generation counts as stored where it committed.</summary>
    Both,
}

/// <summary>
/// Settings under Backups:S3 for an S3-compatible object store (AWS S3, MinIO, Ceph, Wasabi, GCS interoperability, ...).
/// <see cref="SecretKey"/> is never logged, shown or put in an error message.
/// </summary>
public sealed partial class S3BackupOptions
{
    public const string SectionName = "Backups:S3";

    /// <summary>The key under Backups that chooses the storage (<see cref="BackupStorageMode"/>).</summary>
    public const string StorageKey = "Backups:Storage";

    public const string DefaultPrefix = "kuroco-backups/";
    public const int DefaultPartSizeMB = 16;

    /// <summary>S3 refuses parts under 5 MiB (except the last one of an object).</summary>
    public const int MinPartSizeMB = 5;

    /// <summary>S3's largest part.</summary>
    public const int MaxPartSizeMB = 5120;

    public const string EncryptionNone = "none";
    public const string EncryptionAes256 = "AES256";
    public const string EncryptionKms = "aws:kms";

    /// <summary>The endpoint, e.g. http://127.0.0.1:9000 for MinIO or https://storage.googleapis.com; empty for AWS S3 (then <see cref="Region"/> is required).</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket; it must exist (the store never creates it).</summary>
    public string? Bucket { get; set; }

    /// <summary>The folder of the generations inside the bucket. Default "kuroco-backups/"; empty for the bucket's root.</summary>
    public string? Prefix { get; set; } = DefaultPrefix;

    /// <summary>The region (AWS: required; other servers: the signing region, default us-east-1).</summary>
    public string? Region { get; set; }

    /// <summary>The access key; empty for the SDK's default credentials (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key belonging to <see cref="AccessKey"/>. Never logged or shown.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (http://host/bucket/key) rather than virtual hosts. Default true (MinIO, s3rver and most servers need it).</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>"none" (default), "AES256" (SSE-S3) or "aws:kms" (SSE-KMS, with <see cref="KmsKeyId"/> or the bucket's default key).</summary>
    public string ServerSideEncryption { get; set; } = EncryptionNone;

    /// <summary>The KMS key for "aws:kms"; empty for the account's default key.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>The multipart part size in MiB (5–5120, default 16); also the memory one object being written holds.</summary>
    public int PartSizeMB { get; set; } = DefaultPartSizeMB;

    /// <summary>The prefix as used in keys: empty, or ending with one "/".</summary>
    public string NormalizedPrefix
    {
        get
        {
            var prefix = (Prefix ?? "").Trim();
            return prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
        }
    }

    public int PartSizeBytes => PartSizeMB * 1024 * 1024;

    /// <summary>Where the store is, for messages and logs: the service URL or the region, and the bucket (never a key).</summary>
    public string Describe() =>
        $"s3://{Bucket}/{NormalizedPrefix} at {(string.IsNullOrWhiteSpace(ServiceUrl) ? "AWS region " + Region : ServiceUrl)}";

    /// <summary>What is wrong with the settings, one sentence each naming the setting (empty when valid). Never quotes <see cref="SecretKey"/>.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            problems.Add($"{SectionName}:Bucket is required when {StorageKey} is S3 or Both.");
        }
        else if (!BucketName().IsMatch(Bucket))
        {
            problems.Add($"{SectionName}:Bucket \"{Bucket}\" is not a valid bucket name (3–63 lower-case letters, digits, dots and hyphens).");
        }
        if (!string.IsNullOrWhiteSpace(ServiceUrl))
        {
            if (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"{SectionName}:ServiceUrl must be an absolute http:// or https:// address (e.g. http://127.0.0.1:9000).");
            }
            else if (!string.IsNullOrEmpty(url.UserInfo))
            {
                problems.Add($"{SectionName}:ServiceUrl must not carry credentials; use {SectionName}:AccessKey and SecretKey.");
            }
        }
        else if (string.IsNullOrWhiteSpace(Region))
        {
            problems.Add($"{SectionName}: set ServiceUrl (an S3-compatible server) or Region (AWS S3).");
        }
        if (string.IsNullOrWhiteSpace(AccessKey) != string.IsNullOrWhiteSpace(SecretKey))
        {
            problems.Add($"{SectionName}: set both AccessKey and SecretKey, or neither (then the SDK's default credentials are used).");
        }
        var prefix = (Prefix ?? "").Trim();
        if (prefix.StartsWith('/') || prefix.Contains("//", StringComparison.Ordinal) || prefix.Split('/').Any(s => s is "." or ".."))
        {
            problems.Add($"{SectionName}:Prefix must be a relative folder such as \"{DefaultPrefix}\" (no leading \"/\", no empty, \".\" or \"..\" segments).");
        }
        if (ServerSideEncryptionMethod is null)
        {
            problems.Add($"{SectionName}:ServerSideEncryption must be \"{EncryptionNone}\", \"{EncryptionAes256}\" or \"{EncryptionKms}\".");
        }
        else if (!string.IsNullOrWhiteSpace(KmsKeyId) && ServerSideEncryptionMethod != EncryptionKms)
        {
            problems.Add($"{SectionName}:KmsKeyId is only used with ServerSideEncryption \"{EncryptionKms}\".");
        }
        if (PartSizeMB is < MinPartSizeMB or > MaxPartSizeMB)
        {
            problems.Add($"{SectionName}:PartSizeMB must be between {MinPartSizeMB} and {MaxPartSizeMB} (S3's part limits).");
        }
        return problems;
    }

    /// <summary>The canonical encryption value ("none", "AES256", "aws:kms"), or null when the setting is not one of them.</summary>
    public string? ServerSideEncryptionMethod => (ServerSideEncryption ?? "").Trim().ToUpperInvariant() switch
    {
        "" or "NONE" => EncryptionNone,
        "AES256" => EncryptionAes256,
        "AWS:KMS" => EncryptionKms,
        _ => null,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
