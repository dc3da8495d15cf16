using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Data;

/// <summary>Chooses the provider from configuration and registers the matching context.</summary>
internal static class DatabaseSetup
{
    public static (DatabaseProvider Provider, string ConnectionString) Resolve(IConfiguration configuration, string dataPath)
    {
        var options = Bind(configuration);
        var configured = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (options.Provider == DatabaseProvider.SqlServer)
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                throw new ConfigurationException(
                    "Database:Provider is SqlServer but ConnectionStrings:Kuroco is not set: give the SQL Server connection string " +
                    "(e.g. the environment variable ConnectionStrings__Kuroco), or use Database:Provider=Sqlite.");
            }
            return (DatabaseProvider.SqlServer, configured);
        }
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataPath, "kuroco.db"),
                Pooling = true,
            }.ToString();
        }
        return (DatabaseProvider.Sqlite, configured);
    }

    private static DatabaseOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(DatabaseOptions.SectionName);
        var message = $"{DatabaseOptions.SectionName}: Provider must be {string.Join(" or ", Enum.GetNames<DatabaseProvider>())} and MigrateOnStartup true or false.";
        DatabaseOptions options;
        try
        {
            options = section.Get<DatabaseOptions>() ?? new DatabaseOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The binder's own message names a .NET type; say what the setting accepts instead.
            throw new ConfigurationException(message, ex);
        }
        // The binder also accepts a number ("7") for an enum.
        return Enum.IsDefined(options.Provider) ? options : throw new ConfigurationException(message);
    }

    public static void AddKurocoDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.SqlServer)
        {
            services.AddPooledDbContextFactory<SqlServerKurocoDbContext>((sp, o) => o.UseSqlServer(connectionString, sql =>
                sql.MigrationsAssembly(typeof(KurocoDbContext).Assembly.FullName))
                .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
            services.AddBaseContext<SqlServerKurocoDbContext>();
        }
        else
        {
            services.AddPooledDbContextFactory<SqliteKurocoDbContext>((sp, o) => o.UseSqlite(connectionString, sql =>
                sql.MigrationsAssembly(typeof(KurocoDbContext).Assembly.FullName))
                .AddInterceptors(new SqliteConnectionInterceptor())
                .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
            services.AddBaseContext<SqliteKurocoDbContext>();
            // The delivery API's prepared reads (PublishedContentReader.Sqlite.cs); a factory, so the container closes them.
            services.AddSingleton(_ => new SqliteReadSessions(connectionString));
        }
    }

    /// <summary>
    /// The app asks for <see cref="KurocoDbContext"/>: one per scope for request work, and a factory
    /// for code that runs inside a Blazor circuit, where components may query concurrently.
    /// </summary>
    private static void AddBaseContext<TContext>(this IServiceCollection services)
        where TContext : KurocoDbContext
    {
        // Contexts come from a pool (the delivery API opens one per request; building a context's services
        // each time was a measurable share of an uncached answer). A scope's context goes back on disposal.
        // One registration only: the service provider disposes whatever a factory registration returns, so a second
        // registration forwarding to the same context (the provider's type) disposed it twice, and the second disposal of
        // a pooled context can put it back in the pool after another request rented it — two requests then share one
        // context ("A second operation was started on this context instance", 500s of the uncached status feed).
        services.AddScoped<KurocoDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        services.AddSingleton<IDbContextFactory<KurocoDbContext>>(sp =>
            new BaseContextFactory<TContext>(sp.GetRequiredService<IDbContextFactory<TContext>>()));
    }

    private sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<KurocoDbContext>
        where TContext : KurocoDbContext
    {
        public KurocoDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<KurocoDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
