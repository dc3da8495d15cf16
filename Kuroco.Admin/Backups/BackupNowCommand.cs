using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;

namespace Kuroco.Admin.Backups;

/// <summary>
/// <c>dotnet Kuroco.Admin.dll backup-now [--Section:Key=value ...]</c>: takes one backup (trigger Manual) with the app's
/// configuration instead of starting the web host, prints the generation id and exits 0, or prints the reason and exits 1.
/// For scripted backups outside the nightly job, and for the test that kills a backup mid-way (kill -9). Its own
/// composition root, like <see cref="Account.ResetPasswordCommand"/>.
/// <c>--BackupNow:HoldAfter={step}</c> (e.g. <c>media</c>) pauses the run after reporting that step until a line is read
/// from standard input: it shows (and the kill -9 test proves) that a run stopped mid-way leaves no generation.
/// </summary>
public static class BackupNowCommand
{
    public const string Verb = "backup-now";

    public static bool IsInvoked(string[] args) => args is [Verb, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var builder = WebApplication.CreateBuilder(args[1..]);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Only the infrastructure (no web layer): services that need the web layer are never resolved here, so the
        // Development-time check that every registration can be built is off.
        builder.Host.UseDefaultServiceProvider(o => o.ValidateOnBuild = false);
        builder.Services.AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddScoped<IAuditContext, CommandLineAuditContext>();
        await using var app = builder.Build();

        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await using var scope = app.Services.CreateAsyncScope();
        // Written on the reporting thread (not Progress<T>, which posts to the thread pool and can lag behind the work).
        var progress = new LineProgress(output, builder.Configuration["BackupNow:HoldAfter"], Console.In);
        var result = await scope.ServiceProvider.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, progress, CancellationToken.None);
        if (!result.TryGetValue(out var manifest))
        {
            await error.WriteLineAsync($"{Verb}: {result.Message}");
            return 1;
        }
        await output.WriteLineAsync(manifest.Id);
        return 0;
    }

    private sealed class LineProgress(TextWriter output, string? holdAfter, TextReader input) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value)
        {
            output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value.Step} {value.Fraction:P0}"));
            output.Flush();
            if (string.Equals(value.Step, holdAfter, StringComparison.Ordinal))
            {
                // The service reports on its own thread and waits for Report to return: the run stays where it is.
                output.WriteLine("holding");
                output.Flush();
                input.ReadLine();
            }
        }
    }

    private sealed class CommandLineAuditContext : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(new AuditActor(null, $"command line ({Environment.UserName}@{Environment.MachineName})", []));

        public AuditOrigin GetOrigin() => new(null, Verb + " command", null);
    }
}
