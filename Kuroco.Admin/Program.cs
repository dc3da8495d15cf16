using System.Reflection;
using Kuroco.Admin;
using Kuroco.Admin.Account;
using Kuroco.Infrastructure;

try
{
    // "reset-password <email>": a new one-time password for an Administrator, instead of starting the console.
    if (ResetPasswordCommand.IsInvoked(args))
    {
        return await ResetPasswordCommand.RunAsync(args, Console.Out, Console.Error);
    }
    // "backup-now": one backup with the app's configuration, then exit (scripts; the kill -9 test).
    if (Kuroco.Admin.Backups.BackupNowCommand.IsInvoked(args))
    {
        return await Kuroco.Admin.Backups.BackupNowCommand.RunAsync(args, Console.Out, Console.Error);
    }

    var builder = WebApplication.CreateBuilder(args);

    builder.Services
        .AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath)
        .AddAdmin(builder.Configuration, builder.Environment);

    var app = builder.Build();

    await app.InitializeKurocoAsync();
    app.UseAdmin();
    await app.RunAsync();
    return 0;
}
// A configuration error is one clear line and exit code 1, not a stack trace. When another process hosts
// this entry point (WebApplicationFactory in the tests), the exception goes to that host instead.
catch (Exception ex) when (Assembly.GetEntryAssembly() == typeof(Program).Assembly && StartupErrors.Describe(ex) is { } message)
{
    await Console.Error.WriteLineAsync(message);
    return StartupErrors.ExitCode;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
