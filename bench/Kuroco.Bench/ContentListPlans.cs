using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Content;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Bench;

/// <summary>
/// <c>listplans</c>: runs each console list variant against the benchmark database a few times, prints the
/// median time and, for every SQL command it sent, SQLite's <c>EXPLAIN QUERY PLAN</c> (looking for
/// <c>SCAN</c> of the table and <c>USE TEMP B-TREE FOR ORDER BY</c>). A quick look, not a measurement.
/// </summary>
internal static class ContentListPlans
{
    public static async Task<int> RunAsync()
    {
        await using var provider = await ContentListDatabase.OpenAsync();
        using var observer = new CommandObserver();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(observer);
        var variants = new List<(string Name, Func<IServiceProvider, Task>)>
        {
            ("first page (newest updated)", s => Items(s).ListAsync(Q())),
            ("page 2000", s => Items(s).ListAsync(Q() with { Page = 2000 })),
            ("status = Published", s => Items(s).ListAsync(Q() with { Status = ContentStatus.Published })),
            ("status = Draft, page 100", s => Items(s).ListAsync(Q() with { Status = ContentStatus.Draft, Page = 100 })),
            ("language = en", s => Items(s).ListAsync(Q() with { Language = ContentLanguages.English })),
            ("language = ja, status = Published", s => Items(s).ListAsync(Q() with { Language = ContentLanguages.Japanese, Status = ContentStatus.Published })),
            ("text " + ContentListDatabase.EnglishWord, s => Items(s).ListAsync(Q() with { Text = ContentListDatabase.EnglishWord })),
            ("text " + ContentListDatabase.JapaneseWord, s => Items(s).ListAsync(Q() with { Text = ContentListDatabase.JapaneseWord })),
            ("text in no title (worst case)", s => Items(s).ListAsync(Q() with { Text = "zzqx" })),
            ("trash", s => s.GetRequiredService<IContentTrashService>().ListAsync(0, 25)),
        };
        foreach (var sort in Enum.GetValues<ContentSort>())
        {
            variants.Add(("sort " + sort, s => Items(s).ListAsync(Q() with { Sort = sort })));
            variants.Add(("sort " + sort + ", page 2000", s => Items(s).ListAsync(Q() with { Sort = sort, Page = 2000 })));
        }

        foreach (var (name, run) in variants)
        {
            await using var scope = provider.CreateAsyncScope();
            var service = scope.ServiceProvider;
            await run(service);
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                observer.Commands.Clear();
                var started = Stopwatch.GetTimestamp();
                await run(service);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"== {name}: median {times[2].ToString("N1", CultureInfo.InvariantCulture)} ms (min {times[0].ToString("N1", CultureInfo.InvariantCulture)})");
            foreach (var (sql, parameters) in observer.Commands.ToList())
            {
                Console.WriteLine("   " + sql.ReplaceLineEndings(" "));
                foreach (var line in Explain(sql, parameters))
                {
                    Console.WriteLine("     plan: " + line);
                }
            }
        }
        return 0;
    }

    private static ContentItemQuery Q() => new(ContentListDatabase.ArticlesTypeId);

    private static List<string> Explain(string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ContentListDatabase.DatabasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // Constant prefix on the app's own parameterized SQL; the values stay parameters.
#pragma warning disable CA2100
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
#pragma warning restore CA2100
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value ?? DBNull.Value);
        }
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }
        return lines;
    }

    private sealed class CommandObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly List<IDisposable> subscriptions = [];

        public List<(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                subscriptions.Add(value.Subscribe(this));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data
                && !data.Command.CommandText.StartsWith("PRAGMA", StringComparison.Ordinal))
            {
                Commands.Add((data.Command.CommandText,
                    data.Command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }
        }
    }

    private static IContentItemService Items(IServiceProvider services) => services.GetRequiredService<IContentItemService>();
}
