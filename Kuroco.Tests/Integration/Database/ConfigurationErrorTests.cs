using System.Diagnostics;
using Kuroco.Admin;
using Kuroco.Infrastructure;
using Microsoft.Extensions.Options;

namespace Kuroco.Tests.Integration.Database;

/// <summary>
/// The console started as its own process (the built Kuroco.Admin.dll, as <c>dotnet run</c> would) with a
/// setting it cannot run with: one clear line on standard error, exit code 1, no stack trace, nothing written.
/// </summary>
public sealed class ConfigurationErrorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("--Database:Provider=SqlServer", "Database:Provider is SqlServer but ConnectionStrings:Kuroco is not set")]
    [InlineData("--Database:Provider=Oracle", "Database: Provider must be Sqlite or SqlServer")]
    [InlineData("--SendGrid:FromAddress=not-an-address", "SendGrid: FromAddress must be a valid address")]
    [InlineData("--Kuroco:Demo:ApiKey=too-short", "Kuroco:Demo:ApiKey must be 20 to 200 printable ASCII characters")]
    [InlineData("--Backups:Storage=S3", "Backups:S3:Bucket is required when Backups:Storage is S3 or Both")]
    [InlineData("--Backups:Storage=Cloud", "Backups:Storage must be Local, S3 or Both (not \"Cloud\")")]
    [InlineData("--Kuroco:DataProtection:CertificatePath=/nonexistent/keys.pfx", "Kuroco:DataProtection:CertificatePath: there is no file at '/nonexistent/keys.pfx'")]
    public async Task A_configuration_error_prints_one_line_and_exits_with_code_1(string setting, string reason)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "kuroco-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, stdout, stderr) = await RunConsoleAsync(setting, $"--Storage:DataPath={dataPath}", "--urls=http://127.0.0.1:0");

            Assert.Equal(StartupErrors.ExitCode, exitCode);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("Kuroco cannot start, configuration error: ", line, StringComparison.Ordinal);
            Assert.Contains(reason, line, StringComparison.Ordinal);
            var all = stdout + stderr;
            Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
            // Checked before anything is written: no database, no bootstrap account.
            Assert.False(File.Exists(Path.Combine(dataPath, "kuroco.db")), "The database was created before the configuration was checked.");
        }
        finally
        {
            if (Directory.Exists(dataPath))
            {
                Directory.Delete(dataPath, recursive: true);
            }
        }
    }

    [Fact]
    public void Only_configuration_errors_are_shortened()
    {
        var options = new OptionsValidationException("SendGrid", typeof(object), ["SendGrid: first.", "SendGrid: second."]);
        var configuration = new ConfigurationException("Database: third.");

        Assert.Equal("Kuroco cannot start, configuration error: SendGrid: first. SendGrid: second.", StartupErrors.Describe(options));
        Assert.Equal("Kuroco cannot start, configuration error: SendGrid: first. SendGrid: second. Database: third.",
            StartupErrors.Describe(new AggregateException(options, configuration)));
        Assert.Equal("Kuroco cannot start, configuration error: Database: third.",
            StartupErrors.Describe(new InvalidOperationException("wrapper", configuration)));
        Assert.Null(StartupErrors.Describe(new InvalidOperationException("a bug")));
        Assert.Null(StartupErrors.Describe(new AggregateException(configuration, new IOException("disk"))));
    }

    /// <summary>Runs Kuroco.Admin.dll (copied beside the tests) in Production with the given arguments.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunConsoleAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kuroco.Admin.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ConnectionStrings__Kuroco");
        start.Environment["Kuroco__Jobs__RunServer"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Kuroco.Admin.dll did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The console did not exit within {Timeout.TotalSeconds} s: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
