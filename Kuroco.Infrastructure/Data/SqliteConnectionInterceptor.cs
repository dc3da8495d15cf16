using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kuroco.Infrastructure.Data;

/// <summary>
/// Sets per-connection SQLite pragmas: a busy timeout so concurrent writers wait instead of failing,
/// and foreign keys on. WAL mode is persistent and set once at start-up by <see cref="DatabaseInitializer"/>.
/// The pragmas stay with the physical connection, which the pool hands out again and again: they are set once per physical
/// connection (three statements prepared and run on every open were about a twentieth of an uncached delivery answer's CPU).
/// </summary>
internal sealed class SqliteConnectionInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    /// <summary>The physical connections (native handles) whose pragmas are set; a closed handle drops out with its object.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        RegisterFunctions(connection);
        if (IsConfigured(connection))
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        MarkConfigured(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        RegisterFunctions(connection);
        if (IsConfigured(connection))
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkConfigured(connection);
    }

    /// <summary>Whether this physical connection's pragmas are set already (one physical connection is never opened twice at once).</summary>
    private static bool IsConfigured(DbConnection connection) =>
        connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } && Configured.TryGetValue(handle, out _);

    private static void MarkConfigured(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle })
        {
            Configured.AddOrUpdate(handle, Configured);
        }
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
