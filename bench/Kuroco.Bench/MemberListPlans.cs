using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Members;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Bench;

/// <summary>
/// <c>memberplans</c>: each member list variant against the benchmark database, 21 timed calls after a warm-up: the
/// median and the 95th percentile, and SQLite's <c>EXPLAIN QUERY PLAN</c> of every command it sent. A quick look; the
/// BenchmarkDotNet run (<see cref="MemberListBenchmarks"/>) is the measurement.
/// </summary>
internal static class MemberListPlans
{
    private const int Runs = 21;

    public static async Task<int> RunAsync()
    {
        await using var provider = await MemberListDatabase.OpenAsync();
        using var observer = new QueryPlans.CommandObserver();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(observer);
        MemberListCursor? deep = null;
        var variants = new List<(string Name, Func<IMemberDirectory, Task<MemberListPage>> Run)>
        {
            ("first page (newest sign-ups)", d => d.ListAsync(Q())),
            ("page 2000 by offset", d => d.ListAsync(Q() with { Page = 2000 })),
            ("page 2001 by cursor", async d => await d.ListAsync(Q() with { After = deep ??= (await d.ListAsync(Q() with { Page = 1999 })).Next })),
            ("group Premium", d => d.ListAsync(Q(new(GroupId: MemberListDatabase.PremiumGroupId)))),
            ("group Referral, by name", d => d.ListAsync(Q(new(GroupId: MemberListDatabase.ReferralGroupId)) with { Sort = MemberSort.NameAsc })),
            ("status Suspended", d => d.ListAsync(Q(new(Status: MemberListStatus.Suspended)))),
            ("locked", d => d.ListAsync(Q(new(Status: MemberListStatus.Locked)))),
            ("signed up in September 2026", d => d.ListAsync(Q(new(SignedUpFromUtc: new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc), SignedUpToUtc: new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc))))),
        };
        foreach (var sort in Enum.GetValues<MemberSort>())
        {
            variants.Add(("sort " + sort, d => d.ListAsync(Q() with { Sort = sort })));
        }
        foreach (var text in new[] { "山田", "やまだ", "ﾔﾏﾀﾞ ﾊﾅｺ", "yamada0123", "example7.jp", "hughes", "莉子", "zzqx", "zq" })
        {
            variants.Add(("search " + text, d => d.ListAsync(Q(new(text)))));
        }

        foreach (var (name, run) in variants)
        {
            await using var scope = provider.CreateAsyncScope();
            var directory = scope.ServiceProvider.GetRequiredService<IMemberDirectory>();
            var first = await run(directory);
            var times = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                observer.Commands.Clear();
                var started = Stopwatch.GetTimestamp();
                await run(directory);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"== {name}: {first.TotalCount:N0} match, median {times[Runs / 2]:N1} ms, p95 {times[(int)Math.Ceiling(Runs * 0.95) - 1]:N1} ms (min {times[0]:N1})"));
            foreach (var (sql, parameters) in observer.Commands.ToList())
            {
                Console.WriteLine("   " + sql.ReplaceLineEndings(" "));
                foreach (var line in QueryPlans.Explain(MemberListDatabase.DatabasePath, sql, parameters))
                {
                    Console.WriteLine("     plan: " + line);
                }
            }
        }
        return 0;
    }

    private static MemberListQuery Q(MemberListFilter? filter = null) => new(filter ?? MemberListFilter.None);
}
