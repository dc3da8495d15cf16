using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Kuroco.Core.Members;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Bench;

/// <summary>
/// The console's member list (<see cref="IMemberDirectory.ListAsync"/>, what the MudDataGrid asks for on every page, sort,
/// filter or search change) over 100,000 members in a real migrated SQLite file (<see cref="MemberListDatabase"/>). Each call
/// opens its own context, counts the matches and reads one page of 25 with its members' groups, exactly as the grid does.
/// Percentiles (P50, P95) are BenchmarkDotNet's, over its measured iterations.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class MemberListBenchmarks
{
    private ServiceProvider provider = default!;
    private IServiceScope scope = default!;
    private IMemberDirectory members = default!;
    private MemberListCursor deepCursor = default!;

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95);
    }

    [GlobalSetup]
    public void Setup()
    {
        provider = MemberListDatabase.OpenAsync().GetAwaiter().GetResult();
        scope = provider.CreateScope();
        members = scope.ServiceProvider.GetRequiredService<IMemberDirectory>();
        // Where page 2001 starts: the last row of page 2000, read once by offset.
        var page = members.ListAsync(new MemberListQuery(MemberListFilter.None, Page: 1999)).GetAwaiter().GetResult();
        deepCursor = page.Next ?? throw new InvalidOperationException("The database has fewer than 50,000 members.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        scope.Dispose();
        provider.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private Task<MemberListPage> List(MemberListFilter? filter = null, MemberSort sort = MemberSort.SignedUpDesc, int page = 0, MemberListCursor? after = null) =>
        members.ListAsync(new MemberListQuery(filter ?? MemberListFilter.None, sort, page, 25) { After = after });

    [Benchmark(Baseline = true, Description = "first page, newest sign-ups (target < 10 ms)")]
    public Task<MemberListPage> FirstPage() => List();

    [Benchmark(Description = "page 2001 by cursor (keyset)")]
    public Task<MemberListPage> KeysetDeepPage() => List(after: deepCursor);

    [Benchmark(Description = "page 2001 by offset (a jump)")]
    public Task<MemberListPage> OffsetDeepPage() => List(page: 2000);

    [Benchmark(Description = "sort, first page")]
    [Arguments(MemberSort.SignedUpAsc)]
    [Arguments(MemberSort.LastSignInDesc)]
    [Arguments(MemberSort.LastSignInAsc)]
    [Arguments(MemberSort.NameAsc)]
    [Arguments(MemberSort.EmailAsc)]
    public Task<MemberListPage> Sorted(MemberSort sort) => List(sort: sort);

    /// <summary>Partial searches (target < 50 ms): name in kanji, reading in half-width katakana, an email fragment, a domain, an English surname, no hit.</summary>
    [Benchmark(Description = "search")]
    [Arguments("山田")]
    [Arguments("ﾔﾏﾀﾞ ﾊﾅｺ")]
    [Arguments("yamada0123")]
    [Arguments("example7.jp")]
    [Arguments("hughes")]
    [Arguments("zzqx")]
    public Task<MemberListPage> Search(string text) => List(new MemberListFilter(text));

    [Benchmark(Description = "group Premium (10 %)")]
    public Task<MemberListPage> Group() => List(new MemberListFilter(GroupId: MemberListDatabase.PremiumGroupId));

    [Benchmark(Description = "status Suspended (5 %)")]
    public Task<MemberListPage> Suspended() => List(new MemberListFilter(Status: MemberListStatus.Suspended));

    [Benchmark(Description = "locked (1 %)")]
    public Task<MemberListPage> Locked() => List(new MemberListFilter(Status: MemberListStatus.Locked));

    [Benchmark(Description = "signed up in a 30-day range")]
    public Task<MemberListPage> SignUpRange() => List(new MemberListFilter(SignedUpFromUtc: new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc), SignedUpToUtc: new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc)));
}
