using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.S3;
using Kuroco.Infrastructure.Backups.S3;
using Microsoft.Extensions.Options;

namespace Kuroco.Tests.Support;

/// <summary>
/// A real S3-compatible server for the tests: the npm package s3rver (scripts/s3rver, installed by scripts/test.sh)
/// started with Node.js on a free 127.0.0.1 port over a temporary folder, with the bucket <see cref="Bucket"/> created.
/// KUROCO_S3RVER may point at another s3rver.js. A missing Node.js or s3rver fails the tests with a message naming the
/// script; they never skip.
/// </summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    public const string S3rverVariable = "KUROCO_S3RVER";
    public const string Bucket = "kuroco-test";

    /// <summary>s3rver's built-in account.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string directory = Path.Combine(Path.GetTempPath(), "kuroco-tests", "s3rver-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder output = new();
    private Process? process;

    public Uri ServiceUrl { get; private set; } = default!;

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

    public async Task InitializeAsync()
    {
        var script = S3rverPath();
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", directory, "--silent" })
        {
            start.ArgumentList.Add(arg);
        }
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                "Node.js (node) is not installed: the S3 backup tests start s3rver with it. Run scripts/test.sh (it installs Debian's nodejs and npm) or apt-get install -y nodejs npm.", ex);
        }
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ServiceUrl = new Uri($"http://127.0.0.1:{port}/");
        await WaitUntilAnsweringAsync();

        using var client = new S3BackupClient(Microsoft.Extensions.Options.Options.Create(Options("")));
        await client.Client.PutBucketAsync(Bucket);
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with code {process.ExitCode} before answering: {Output()}");
            }
            try
            {
                // Any HTTP answer (an anonymous request gets 403) means it listens.
                using var response = await http.GetAsync(ServiceUrl);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"s3rver did not answer at {ServiceUrl} within {StartTimeout.TotalSeconds} s: {Output()}", ex);
                }
            }
            await Task.Delay(100);
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (output)
        {
            return output.Length == 0 ? "(no output)" : output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "S3 server";
}
