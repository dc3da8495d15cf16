using Kuroco.Core.Audit;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;

namespace Kuroco.Admin.Account;

/// <summary>
/// <c>dotnet run --project Kuroco.Admin -- reset-password admin@localhost</c>: a new one-time password for an
/// Administrator whose bootstrap password was lost. Runs instead of the web host, with the same configuration
/// (appsettings, environment variables, and any further <c>--Section:Key=value</c> arguments), migrates the database like
/// start-up does, prints the password once to standard output (never to the log), and exits 0; an unknown or
/// non-Administrator account gets one line on standard error and exit code 1. It is its own composition root (as
/// Program.cs is the web host's), which is why it builds the services and takes what it runs from them.
/// </summary>
public static class ResetPasswordCommand
{
    public const string Verb = "reset-password";

    public static bool IsInvoked(string[] args) => args is [Verb, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not [Verb, var email, ..] || email.StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync($"Usage: dotnet run --project Kuroco.Admin -- {Verb} <administrator email> [--Section:Key=value ...]");
            return 1;
        }
        var builder = WebApplication.CreateBuilder(args[2..]);
        // Only warnings and errors, on standard error: standard output carries the password and nothing else of note.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddScoped<IAuditContext, CommandLineAuditContext>();
        await using var app = builder.Build();

        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var actor = new AuditActor(null, $"command line ({Environment.UserName}@{Environment.MachineName})", []);
        var result = await scope.ServiceProvider.GetRequiredService<AdministratorPasswordReset>().IssueAsync(email, actor);
        if (!result.TryGetValue(out var password))
        {
            await error.WriteLineAsync($"{Verb}: {result.Message} Nothing was changed.");
            return 1;
        }
        await output.WriteLineAsync($"A new one-time password was issued for {email.Trim()}:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("    " + password);
        await output.WriteLineAsync();
        await output.WriteLineAsync("Sign in with it: a new password must be chosen at once. The account was unlocked and its open sessions ended.");
        return 0;
    }

    /// <summary>Audit origin of the command: no request, so no address; the actor is set on each entry.</summary>
    private sealed class CommandLineAuditContext : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(new AuditActor(null, "command line", []));

        public AuditOrigin GetOrigin() => new(null, Verb + " command", null);
    }
}
