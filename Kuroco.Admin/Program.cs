using Kuroco.Admin;
using Kuroco.Admin.Account;
using Kuroco.Infrastructure;

// "reset-password <email>": a new one-time password for an Administrator, instead of starting the console.
if (ResetPasswordCommand.IsInvoked(args))
{
    Environment.ExitCode = await ResetPasswordCommand.RunAsync(args, Console.Out, Console.Error);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath)
    .AddAdmin(builder.Configuration, builder.Environment);

var app = builder.Build();

await app.InitializeKurocoAsync();
app.UseAdmin();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
