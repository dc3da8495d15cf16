using System.Diagnostics;
using System.Globalization;
using Amazon.S3;
using Kuroco.Infrastructure.Backups.S3;

namespace Kuroco.Tests.Support;

/// <summary>
/// A real S3-compatible server for the tests: the npm package s3rver (scripts/s3rver, installed by scripts/test.sh)
/// started with Node.js on a free 127.0.0.1 port over a temporary folder, with the bucket <see cref="Bucket"/> created.
/// KUROCO_S3RVER may point at another s3rver.js. A missing Node.js or s3rver fails the tests with a message naming the
/// script; they never skip.
/// </summary>
public sealed class S3ServerFixture() : ProcessFixture("s3rver")
{
    public const string S3rverVariable = "KUROCO_S3RVER";
    public const string Bucket = "kuroco-test";

    /// <summary>s3rver's built-in account.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    public Uri ServiceUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(30);

    protected override string MissingProgramMessage =>
        "Node.js (node) is not installed: the S3 backup tests start s3rver with it. Run scripts/test.sh (it installs Debian's nodejs and npm) or apt-get install -y nodejs npm.";

    /// <summary>The s3rver script: KUROCO_S3RVER, else scripts/s3rver/node_modules/s3rver/bin/s3rver.js.</summary>
    public static string S3rverPath()
    {
        var configured = Environment.GetEnvironmentVariable(S3rverVariable);
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(RepositoryPaths.Root, "scripts", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js")
            : configured;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No s3rver at {path}. The S3 backup tests need a real S3-compatible server: run scripts/test.sh (it installs " +
                $"Node.js and scripts/s3rver), or \"npm ci --prefix scripts/s3rver\", or set {S3rverVariable} to s3rver's bin/s3rver.js.");
        }
        return path;
    }

    /// <summary>Settings for a store on this server; <paramref name="prefix"/> keeps each test's objects apart.</summary>
    public S3BackupOptions Options(string prefix, Action<S3BackupOptions>? configure = null)
    {
        var options = new S3BackupOptions
        {
            ServiceUrl = ServiceUrl.ToString(),
            Bucket = Bucket,
            Prefix = prefix,
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            PartSizeMB = S3BackupOptions.MinPartSizeMB,
        };
        configure?.Invoke(options);
        return options;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var client = new S3BackupClient(Microsoft.Extensions.Options.Options.Create(Options("")));
        await client.Client.PutBucketAsync(Bucket);
    }

    protected override ProcessStartInfo Program()
    {
        var start = new ProcessStartInfo("node");
        foreach (var arg in new[] { S3rverPath(), "--address", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--directory", Folder, "--silent" })
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }

    protected override async Task<bool> AnswersAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            // Any HTTP answer (an anonymous request gets 403) means it listens.
            using var response = await http.GetAsync(ServiceUrl);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "S3 server";
}
