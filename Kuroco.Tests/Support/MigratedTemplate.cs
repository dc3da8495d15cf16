using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kuroco.Tests.Support;

/// <summary>
/// The database of a freshly started app, made once per test run and copied into each new app's data folder, so
/// the hundred-odd test apps do not each apply every migration again (about 2 s per app on two busy cores; the
/// suite must stay under CI's 10 minutes).
/// <para>
/// The template is real: the first plain app of the run starts on an empty folder, migrates, creates the roles, the
/// bootstrap Administrator and its audit entries, and stops; its database (VACUUM INTO, one consistent file) and its
/// audit anchor are the template. An app whose configuration is not the plain one (another provider, connection
/// string, data or anchor folder, bootstrap account, data-protection certificate, no migration on start-up, another
/// environment, a fake clock), or that asks for <see cref="KurocoAppFactory.FreshDatabase"/>, starts on an empty folder as before;
/// the start-up and migration tests do. Start-up still runs every step on the copy: migrations (none pending), roles,
/// the Administrator check.
/// </para>
/// </summary>
internal static class MigratedTemplate
{
    private const string DatabaseFile = "kuroco.db";
    private const string AnchorFolder = "audit";
    private static readonly Lock Gate = new();
    private static string? folder;

    public static void SeedIfPlain(KurocoAppFactory app, IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var environment = services.GetRequiredService<IHostEnvironment>().EnvironmentName;
        // A test on a fake clock expects the bootstrap entries at its own time, not at the template's.
        if (app.FreshDatabase || app.KeepDataOnDispose || services.GetRequiredService<TimeProvider>() != TimeProvider.System
            || !IsPlain(app, configuration, environment)
            || File.Exists(Path.Combine(app.DataPath, DatabaseFile)))
        {
            return;
        }
        var template = Folder();
        Directory.CreateDirectory(app.DataPath);
        File.Copy(Path.Combine(template, DatabaseFile), Path.Combine(app.DataPath, DatabaseFile));
        var anchors = Path.Combine(template, AnchorFolder);
        if (Directory.Exists(anchors))
        {
            var target = Directory.CreateDirectory(Path.Combine(app.DataPath, AnchorFolder)).FullName;
            foreach (var file in Directory.GetFiles(anchors))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }
    }

    private static bool IsPlain(KurocoAppFactory app, IConfiguration configuration, string environment) =>
        environment == "Development"
        && string.Equals(configuration["Storage:DataPath"], app.DataPath, StringComparison.Ordinal)
        && string.IsNullOrEmpty(configuration["Storage:AuditAnchorPath"])
        && string.IsNullOrEmpty(configuration["ConnectionStrings:Kuroco"])
        && configuration["Database:Provider"] is null or "Sqlite"
        && !string.Equals(configuration["Database:MigrateOnStartup"], "false", StringComparison.OrdinalIgnoreCase)
        && configuration["Kuroco:Bootstrap:AdminEmail"] == KurocoAppFactory.AdminEmail
        && configuration["Kuroco:Bootstrap:AdminPassword"] == KurocoAppFactory.AdminPassword
        && configuration.GetSection("Kuroco:DataProtection").GetChildren().All(c => string.IsNullOrEmpty(c.Value));

    private static string Folder()
    {
        lock (Gate)
        {
            return folder ??= Create();
        }
    }

    private static string Create()
    {
        var target = Path.Combine(Path.GetTempPath(), "kuroco-tests", "template-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        var builder = new KurocoAppFactory { KeepDataOnDispose = true };
        try
        {
            using (var client = builder.CreateClient())
            {
                using var ready = client.GetAsync(new Uri("/health/live", UriKind.Relative)).GetAwaiter().GetResult();
                ready.EnsureSuccessStatusCode();
            }
            builder.Dispose();
            SqliteConnection.ClearAllPools();
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(builder.DataPath, DatabaseFile) }.ToString()))
            {
                connection.Open();
                using var vacuum = connection.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $target";
                vacuum.Parameters.AddWithValue("$target", Path.Combine(target, DatabaseFile));
                vacuum.ExecuteNonQuery();
            }
            SqliteConnection.ClearAllPools();
            var anchors = Path.Combine(builder.DataPath, AnchorFolder);
            if (Directory.Exists(anchors))
            {
                var copy = Directory.CreateDirectory(Path.Combine(target, AnchorFolder)).FullName;
                foreach (var file in Directory.GetFiles(anchors))
                {
                    File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(builder.DataPath, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans the temp folder.
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(target, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans the temp folder.
            }
        };
        return target;
    }
}
