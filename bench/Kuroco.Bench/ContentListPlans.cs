using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Content;
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
        using var observer = new QueryPlans.CommandObserver();
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
                foreach (var line in QueryPlans.Explain(ContentListDatabase.DatabasePath, sql, parameters))
                {
                    Console.WriteLine("     plan: " + line);
                }
            }
        }
        return 0;
    }

    private static ContentItemQuery Q() => new(ContentListDatabase.ArticlesTypeId);

    private static IContentItemService Items(IServiceProvider services) => services.GetRequiredService<IContentItemService>();
}
