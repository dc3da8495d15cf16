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
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var configured = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (options.Provider == DatabaseProvider.SqlServer)
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                throw new InvalidOperationException(
                    "Database:Provider is SqlServer but ConnectionStrings:Kuroco is not set.");
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
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        services.AddScoped<KurocoDbContext>(sp => sp.GetRequiredService<TContext>());
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
