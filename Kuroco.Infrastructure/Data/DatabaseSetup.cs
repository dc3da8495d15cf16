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
            services.AddDbContext<SqlServerKurocoDbContext>(o => o.UseSqlServer(connectionString, sql =>
                sql.MigrationsAssembly(typeof(KurocoDbContext).Assembly.FullName)));
            services.AddScoped<KurocoDbContext>(sp => sp.GetRequiredService<SqlServerKurocoDbContext>());
        }
        else
        {
            services.AddDbContext<SqliteKurocoDbContext>(o => o.UseSqlite(connectionString, sql =>
                sql.MigrationsAssembly(typeof(KurocoDbContext).Assembly.FullName))
                .AddInterceptors(new SqliteConnectionInterceptor()));
            services.AddScoped<KurocoDbContext>(sp => sp.GetRequiredService<SqliteKurocoDbContext>());
        }
    }
}
