using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kuroco.Infrastructure.Data;

/// <summary>
/// Sets per-connection SQLite pragmas: a busy timeout so concurrent writers wait instead of failing,
/// and foreign keys on. WAL mode is persistent and set once at start-up by <see cref="DatabaseInitializer"/>.
/// </summary>
internal sealed class SqliteConnectionInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        RegisterFunctions(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        RegisterFunctions(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The audit search's address-block test (<see cref="Audit.AuditSqlFunctions"/>).</summary>
    private static void RegisterFunctions(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            Audit.AuditSqlFunctions.Register(sqlite);
        }
    }
}
