using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Data;

/// <summary>
/// Start-up: applies migrations (SQLite in WAL mode), creates the roles, and creates the first
/// Administrator when there is none. Safe to run on every start and on several instances.
/// </summary>
public sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<BootstrapOptions> bootstrapOptions,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        // Start-up runs outside any request: the context, Identity's managers and the audit log are scoped services,
        // so it opens one scope of its own for them (the documented pattern for scoped services outside a request).
        await using var scope = scopes.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<KurocoDbContext>();
        if (db.Database.IsSqlite())
        {
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString());
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        if (databaseOptions.Value.MigrateOnStartup)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        var roles = provider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
        await EnsureAdministratorAsync(provider, cancellationToken);
    }

    private async Task EnsureAdministratorAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        var users = provider.GetRequiredService<UserManager<StaffUser>>();
        if ((await users.GetUsersInRoleAsync(StaffRoles.Administrator)).Count > 0)
        {
            return;
        }
        var settings = bootstrapOptions.Value;
        var email = string.IsNullOrWhiteSpace(settings.AdminEmail) ? BootstrapOptions.DefaultAdminEmail : settings.AdminEmail.Trim();
        var generated = string.IsNullOrEmpty(settings.AdminPassword);
        var password = generated ? PasswordGenerator.Generate() : settings.AdminPassword!;

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new StaffUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = "Administrator",
                LockoutEnabled = true,
                MustChangePassword = true,
                CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(
                    "The bootstrap administrator could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }
        else
        {
            user.IsEnabled = true;
            user.MustChangePassword = true;
            await users.UpdateAsync(user);
            await users.RemovePasswordAsync(user);
            await users.AddPasswordAsync(user, password);
        }
        await users.AddToRoleAsync(user, StaffRoles.Administrator);

        var audit = provider.GetRequiredService<IAuditLog>();
        await audit.WriteAsync(new AuditRecord(AuditActions.StaffBootstrapped, "Staff", user.Id,
            AuditParameters.Of(("email", email)))
        { Actor = AuditActor.System }, cancellationToken);

        if (generated)
        {
            // Written once, at creation: the account must change it at first sign-in.
            LogGeneratedPassword(logger, email, password);
        }
        else
        {
            LogConfiguredAdmin(logger, email);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No Administrator existed. Created {Email} with the one-time password: {Password}  (shown only now; it must be changed at first sign-in)")]
    private static partial void LogGeneratedPassword(ILogger logger, string email, string password);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No Administrator existed. Created {Email} with the configured bootstrap password; it must be changed at first sign-in.")]
    private static partial void LogConfiguredAdmin(ILogger logger, string email);
}
