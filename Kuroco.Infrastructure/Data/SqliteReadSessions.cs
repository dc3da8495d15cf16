using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Kuroco.Infrastructure.Data;

/// <summary>
/// Read-only SQLite connections kept open with their prepared statements, for the delivery API's hot queries (one item, one
/// page of a list). Through EF every request paid for building and caching the query, opening a pooled connection and
/// SQLite preparing the statement's text again (Microsoft.Data.Sqlite's prepared statements die with the command, and the
/// pool closes commands when a connection goes back): about a third of an uncached answer's CPU. Here a session is leased
/// for one query and returned; its commands stay prepared, keyed by their SQL text (every value is a bound parameter, so the
/// number of texts is the number of query shapes, and a session forgets its commands past <see cref="MaxStatements"/>).
/// <para>
/// The connections are <c>PRAGMA query_only</c>: nothing read through here can write. They hold no transaction between
/// queries (a reader's statement is reset when it is disposed), so they never block a writer, a checkpoint or a restore
/// (which copies into the live file through SQLite's backup API: a prepared statement re-prepares itself after the schema
/// changes, and the next query reads the restored data). Only the SQLite provider has them; SQL Server keeps EF.
/// </para>
/// </summary>
public sealed class SqliteReadSessions : IDisposable
{
    /// <summary>Prepared statements one session keeps at most (beyond that it drops them all and prepares again).</summary>
    public const int MaxStatements = 64;

    private readonly string connectionString;
    private readonly ConcurrentBag<Session> idle = [];
    private readonly int maxIdle;
    private int idleCount;
    private volatile bool disposed;

    public SqliteReadSessions(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        // Not through Microsoft.Data.Sqlite's pool: these connections are never closed while kept, so pooling them adds nothing.
        this.connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        maxIdle = Math.Max(4, Environment.ProcessorCount * 4);
    }

    /// <summary>A session for one query (dispose it to give it back); its connection is open.</summary>
    public Session Lease()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref idleCount);
            return session;
        }
        return new Session(this, Open());
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA query_only = ON;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(Session session)
    {
        if (disposed || session.Broken)
        {
            session.Close();
            return;
        }
        if (Interlocked.Increment(ref idleCount) > maxIdle)
        {
            // Enough are kept for the busiest moments; this one goes.
            Interlocked.Decrement(ref idleCount);
            session.Close();
            return;
        }
        idle.Add(session);
        if (disposed)
        {
            // Disposed while this one went back: close whatever is left.
            Dispose();
        }
    }

    public void Dispose()
    {
        disposed = true;
        while (idle.TryTake(out var session))
        {
            session.Close();
        }
    }

    /// <summary>One open connection and its prepared commands, leased by one caller at a time.</summary>
    public sealed class Session : IDisposable
    {
        private readonly SqliteReadSessions owner;
        private readonly SqliteConnection connection;
        private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

        internal Session(SqliteReadSessions owner, SqliteConnection connection)
        {
            this.owner = owner;
            this.connection = connection;
        }

        /// <summary>Set when a query failed: the session is closed instead of going back.</summary>
        internal bool Broken { get; private set; }

        /// <summary>
        /// The prepared command for <paramref name="sql"/> with its parameters cleared; <paramref name="parameters"/> says how many
        /// (named <c>@p0</c>, <c>@p1</c>, … in the text). The caller sets their values and reads it before disposing the session.
        /// </summary>
        public SqliteCommand Command(string sql, int parameters)
        {
            if (!commands.TryGetValue(sql, out var command))
            {
                if (commands.Count >= MaxStatements)
                {
                    foreach (var old in commands.Values)
                    {
                        old.Dispose();
                    }
                    commands.Clear();
                }
                command = connection.CreateCommand();
                command.CommandText = sql;
                for (var i = 0; i < parameters; i++)
                {
                    command.Parameters.Add(new SqliteParameter(ParameterName(i), DBNull.Value));
                }
                command.Prepare();
                commands[sql] = command;
            }
            return command;
        }

        /// <summary>Marks the session unusable (after an exception while it was read); it is closed on disposal.</summary>
        public void Fail() => Broken = true;

        public void Dispose() => owner.Return(this);

        internal void Close()
        {
            foreach (var command in commands.Values)
            {
                command.Dispose();
            }
            commands.Clear();
            connection.Dispose();
        }
    }

    private static readonly string[] Names = [.. Enumerable.Range(0, 64).Select(i => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The name of the <paramref name="index"/>th parameter: <c>@p0</c>, <c>@p1</c>, ….</summary>
    public static string ParameterName(int index) =>
        index < Names.Length ? Names[index] : "@p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
