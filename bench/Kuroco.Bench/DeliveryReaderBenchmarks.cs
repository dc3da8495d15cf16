using BenchmarkDotNet.Attributes;
using Kuroco.Core.Content;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kuroco.Bench;

/// <summary>
/// The delivery API's two hot reads without the HTTP pipeline: one list page (<c>filter[status][eq]=active&amp;sort=-releasedAt</c>,
/// 20 items, its total from the cache of counts) and one random item by slug, each through the EF queries (what SQL Server runs)
/// and through the hand-written SQL on kept, prepared SQLite connections (what SQLite runs), on the same file. Time and memory
/// allocated per call. The data folder is the one bench/delivery.sh seeds (<c>KUROCO_DELIVERY_DATA</c>, e.g. a folder kept with
/// <c>KEEP=1</c>); without it, 2,000 items are seeded once into <c>$TMPDIR/kuroco-bench-delivery-v1</c> and reused.
/// <code>dotnet run -c Release --project bench/Kuroco.Bench -- --filter '*DeliveryReader*'</code>
/// </summary>
[MemoryDiagnoser]
public class DeliveryReaderBenchmarks
{
    private IHost host = default!;
    private PublishedContentReader ef = default!;
    private PublishedContentReader sqlite = default!;
    private ContentType type = default!;
    private DeliveryQuery query = default!;
    private int items;
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Environment.GetEnvironmentVariable("KUROCO_DELIVERY_DATA") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "kuroco-bench-delivery-v1");
        if (!File.Exists(Path.Combine(folder, "kuroco.db")))
        {
            Directory.CreateDirectory(folder);
            if (DeliverySeed.RunAsync([folder, "2000", "4"]).GetAwaiter().GetResult() != 0)
            {
                throw new InvalidOperationException("Seeding " + folder + " failed.");
            }
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = folder,
            ["Kuroco:Jobs:RunServer"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddInfrastructure(builder.Configuration, folder);
        host = builder.Build();
        var services = host.Services;
        var contexts = services.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        var options = services.GetRequiredService<IOptions<ContentOptions>>();
        ef = new PublishedContentReader(contexts, options, new DeliveryCounts(TimeProvider.System));
        sqlite = new PublishedContentReader(contexts, options, new DeliveryCounts(TimeProvider.System), services.GetRequiredService<SqliteReadSessions>());
        using (var db = contexts.CreateDbContext())
        {
            type = db.ContentTypes.AsNoTracking().Single(t => t.ApiId == DeliverySeed.TypeApiId);
            items = db.ContentItems.Count(i => i.TypeApiId == DeliverySeed.TypeApiId);
        }
        var (parsed, error) = DeliveryQueryParser.Parse(type,
        [
            KeyValuePair.Create("filter[status][eq]", new string?[] { "active" }),
            KeyValuePair.Create("sort", new string?[] { "-releasedAt" }),
        ]);
        query = parsed ?? throw new InvalidOperationException(error?.Detail);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private string Slug() => "product-" + (Interlocked.Increment(ref next) % items).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    [Benchmark(Baseline = true, Description = "list page, EF")]
    public Task<DeliveryJsonResult> ListEf() => ef.QueryJsonAsync(type, ContentLanguages.Japanese, query, null, 0, 20);

    [Benchmark(Description = "list page, hand-written SQL")]
    public Task<DeliveryJsonResult> ListSqlite() => sqlite.QueryJsonAsync(type, ContentLanguages.Japanese, query, null, 0, 20);

    [Benchmark(Description = "item by slug, EF")]
    public Task<StoredDelivery?> ItemEf() => ef.FindJsonAsync(type, Slug(), ContentLanguages.Japanese);

    [Benchmark(Description = "item by slug, hand-written SQL")]
    public Task<StoredDelivery?> ItemSqlite() => sqlite.FindJsonAsync(type, Slug(), ContentLanguages.Japanese);
}
