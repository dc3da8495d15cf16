using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Database;

/// <summary>
/// The EF model matches each provider's migrations. The contexts come from the app's own
/// AddInfrastructure, so Identity's schema version and every option are the ones the app runs with.
/// SQL Server needs no server: nothing here opens a connection.
/// </summary>
public sealed class ModelTests : IDisposable
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "kuroco-tests", "model-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> disposables = [];

    private TContext Context<TContext>(string provider) where TContext : KurocoDbContext
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Storage:DataPath"] = dataPath,
        };
        if (provider == "SqlServer")
        {
            settings["ConnectionStrings:Kuroco"] = "Server=sql.invalid;Database=Kuroco;User Id=kuroco;Password=not-used;TrustServerCertificate=True";
        }
        var serviceProvider = Services(settings);
        var scope = serviceProvider.CreateScope();
        disposables.Add(scope);
        disposables.Add(serviceProvider);
        var context = scope.ServiceProvider.GetRequiredService<KurocoDbContext>();
        return Assert.IsType<TContext>(context);
    }

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddInfrastructure(configuration, dataPath);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_pooled_context_is_never_rented_by_two_users_at_once()
    {
        // A scope's context used to be disposed twice (once per DI registration). When another thread rented it between
        // the two disposals, the second one put that rental back in the pool: two requests then used one context at once
        // ("A second operation was started on this context instance": the uncached status feed's 500s under load).
        await using var serviceProvider = Services(new() { ["Database:Provider"] = "Sqlite", ["Storage:DataPath"] = dataPath });
        var factory = serviceProvider.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        var inUse = new System.Collections.Concurrent.ConcurrentDictionary<KurocoDbContext, byte>();
        var shared = 0;
        void Use(KurocoDbContext context)
        {
            if (!inUse.TryAdd(context, 0))
            {
                Interlocked.Increment(ref shared);
                return;
            }
            Thread.SpinWait(200);
            inUse.TryRemove(context, out _);
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var n = 0; n < 20_000 && Volatile.Read(ref shared) == 0; n++)
            {
                if (worker % 2 == 0)
                {
                    await using var scope = serviceProvider.CreateAsyncScope();
                    Use(scope.ServiceProvider.GetRequiredService<KurocoDbContext>());
                }
                else
                {
                    await using var context = await factory.CreateDbContextAsync();
                    Use(context);
                }
            }
        })));
        Assert.Equal(0, shared);
    }

    [Fact]
    public void Sqlite_model_has_no_changes_missing_from_its_migrations()
    {
        var context = Context<SqliteKurocoDbContext>("Sqlite");
        Assert.True(context.Database.IsSqlite());
        Assert.False(context.Database.HasPendingModelChanges(), "The SQLite model differs from Migrations/Sqlite: add a migration.");
    }

    [Fact]
    public void SqlServer_model_has_no_changes_missing_from_its_migrations()
    {
        var context = Context<SqlServerKurocoDbContext>("SqlServer");
        Assert.True(context.Database.IsSqlServer());
        Assert.False(context.Database.HasPendingModelChanges(), "The SQL Server model differs from Migrations/SqlServer: add a migration.");
    }

    [Fact]
    public void Each_provider_sees_only_its_own_migration_set()
    {
        var sqlite = Context<SqliteKurocoDbContext>("Sqlite").Database.GetMigrations().ToList();
        var sqlServer = Context<SqlServerKurocoDbContext>("SqlServer").Database.GetMigrations().ToList();
        Assert.NotEmpty(sqlite);
        Assert.NotEmpty(sqlServer);
        Assert.Empty(sqlite.Intersect(sqlServer));
    }

    [Fact]
    public void SqlServer_idempotent_script_generates_without_a_server()
    {
        var context = Context<SqlServerKurocoDbContext>("SqlServer");

        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [AuditEntries]", script);
        Assert.Contains("CREATE TABLE [OutboxMessages]", script);
        Assert.Contains("CREATE TABLE [AspNetUsers]", script);
        // Identity schema version 3 has the passkeys table.
        Assert.Contains("CREATE TABLE [AspNetUserPasskeys]", script);
        Assert.Contains("IF NOT EXISTS", script);
    }

    [Fact]
    public void Identity_schema_is_version_3_on_both_providers()
    {
        Assert.NotNull(Context<SqliteKurocoDbContext>("Sqlite").Model.FindEntityType(typeof(Microsoft.AspNetCore.Identity.IdentityUserPasskey<string>)));
        Assert.NotNull(Context<SqlServerKurocoDbContext>("SqlServer").Model.FindEntityType(typeof(Microsoft.AspNetCore.Identity.IdentityUserPasskey<string>)));
    }

    public void Dispose()
    {
        foreach (var disposable in disposables)
        {
            disposable.Dispose();
        }
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
