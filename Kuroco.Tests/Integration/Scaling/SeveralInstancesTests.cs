using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Core.Security.SignIn;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Kuroco.Tests.Integration.Scaling;

/// <summary>
/// Two instances of the real app on one SQLite data folder (WAL lets two processes' worth of connections share it),
/// sharing one real redis-server: the output cache, the type caches and the rate limits agree across them; an instance
/// started while Redis does not answer serves at once and joins when it does; a Redis outage leaves both answering
/// (degraded) until Redis is back and everything is shared again; and after a network partition that cut one instance
/// off (Redis kept its data), the evictions and type changes it made meanwhile reach Redis and the other instance before
/// it reports Healthy. Each instance reaches Redis through a <see cref="TcpPartitionProxy"/>. Both share a frozen clock
/// (mid-minute), so no rate-limit window and no type-cache lifetime ends during the test: whatever B sees of A's changes
/// came through Redis.
/// </summary>
public sealed class SeveralInstancesTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const int PerKey = 4;

    public sealed class Instance : KurocoAppFactory
    {
        public Instance(string redisConfiguration, TimeProvider clock, string? sharedDataPath = null)
        {
            Settings["Redis:Configuration"] = redisConfiguration;
            Settings["Kuroco:Jobs:RunServer"] = "false";
            Settings["Kuroco:RateLimits:ApiPerKeyPerMinute"] = PerKey.ToString(CultureInfo.InvariantCulture);
            Settings["Kuroco:RateLimits:SignInPerAccountPerMinute"] = "3";
            Settings["Kuroco:RateLimits:SignInPerIpPerMinute"] = "3";
            if (sharedDataPath is not null)
            {
                Settings["Storage:DataPath"] = sharedDataPath;
            }
            TestServices = services =>
            {
                services.AddSingleton(clock);
                TestPeerAddress.Register(services);
            };
        }

        public Task<T> WithContentAsync<T>(Func<IContentTypeService, IContentItemService, IContentPublishingService, Task<T>> action) =>
            WithScopeAsync(sp => action(sp.GetRequiredService<IContentTypeService>(), sp.GetRequiredService<IContentItemService>(), sp.GetRequiredService<IContentPublishingService>()));
    }

    [Fact]
    public async Task Two_instances_share_caches_and_limits_start_without_Redis_and_catch_up_after_an_outage_or_a_partition()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 3, 0, 20, TimeSpan.Zero));
        // A reaches Redis through a relay that can cut it off later (a network partition); B's relay starts cut off.
        await using var lineA = new TcpPartitionProxy(redis.Port);
        await using var lineB = new TcpPartitionProxy(redis.Port, partitioned: true);
        await using var a = new Instance(RedisServerFixture.ConfigurationFor(lineA.Port), clock);
        using var clientA = a.CreateClient();

        var type = await a.WithContentAsync(async (types, _, _) =>
        {
            var saved = await types.SaveAsync(new ContentType
            {
                Name = "News",
                ApiId = "scaled-news",
                IsPublic = true,
                Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true }],
            });
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            return saved.Value!;
        });
        await PublishAsync(a, type, "first");
        var list = $"/api/v1/content/{type.ApiId}";

        // B starts while Redis does not answer (a host that accepts and stays silent: the slowest case, where a connect
        // waits for its whole timeout, here StackExchange.Redis's default 5 s): B must not wait for it, and serves at once
        // from its own memory, degraded.
        var starting = Stopwatch.StartNew();
        await using var b = new Instance(RedisServerFixture.ConfigurationFor(lineB.Port) + ",connectTimeout=5000", clock, a.DataPath);
        using var clientB = b.CreateClient();
        var readyAtStart = await ReadyAsync(clientB);
        Assert.Equal(["first"], await SlugsAsync(clientB, list));
        var firstAnswers = starting.Elapsed;
        Assert.Equal(("Degraded", "Degraded"), (readyAtStart.Status, readyAtStart.Checks["redis"]));
        Assert.True(firstAnswers < TimeSpan.FromSeconds(5), $"B took {firstAnswers.TotalSeconds:0.0} s to start and answer with Redis silent (connect timeout 5 s).");
        output.WriteLine($"B started and answered in {firstAnswers.TotalMilliseconds:0} ms with Redis silent.");
        // Redis answers: B connects by itself (at the latest when its first connect gives up, after a few connect
        // timeouts, and the retry every second follows) and shares from then on: everything below goes through Redis.
        lineB.Heal();
        await Eventually.GetAsync(() => ReadyAsync(clientB), r => r.Checks["redis"] == "Healthy", "B connects once Redis answers", TimeSpan.FromSeconds(25));
        output.WriteLine($"B connected {starting.Elapsed.TotalMilliseconds:0} ms after its start.");

        // B answers and stores the answer in Redis; A serves B's answer (a change behind the services' back is not seen)...
        Assert.Equal(["first"], await SlugsAsync(clientB, list));
        await a.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Infrastructure.Data.KurocoDbContext>().ContentItems
            .Where(i => i.Slug == "first").ExecuteUpdateAsync(u => u.SetProperty(i => i.Slug, "first-renamed")));
        Assert.Equal(["first"], await SlugsAsync(clientA, list));
        // ...and a publish through A evicts the answer everywhere: B's very next request has the new item.
        await PublishAsync(a, type, "second");
        Assert.Equal(["first-renamed", "second"], (await SlugsAsync(clientB, list)).Order(StringComparer.Ordinal));
        // B's own cached list total (1, counted by B above) is dropped through pub/sub too: the frozen clock never reaches
        // the totals' 5 s bound, so only the message can make B count 2.
        await Eventually.GetAsync(() => TotalAsync(clientB, list), total => total == 2, "B's list total follows A's publish", TimeSpan.FromSeconds(5));

        // Turning the type private through A reaches B's public-type cache through pub/sub (the frozen clock never expires it).
        await SetPublicAsync(a, type, false);
        await Eventually.GetAsync(async () => (await clientB.SendAsync(ApiTestKeys.Get(list))).StatusCode,
            status => status == HttpStatusCode.Unauthorized, "B refuses the type that A made private", TimeSpan.FromSeconds(5));

        // One key's budget across both instances: the headers count down through A and B alike, and the fifth request is refused.
        var (_, shared) = await a.CreateKeyAsync("Shared budget", ApiAccess.Read, [type.ApiId]);
        Assert.Equal(new[] { 3, 2, 1, 0 }, await RemainingAsync([clientA, clientB, clientA, clientB], shared));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await clientA.SendAsync(ApiTestKeys.Get(list, shared))).StatusCode);
        var refusedOnB = await clientB.SendAsync(ApiTestKeys.Get(list, shared));
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedOnB.StatusCode);
        Assert.Equal(0, Header(refusedOnB, "X-RateLimit-Remaining"));
        // The per-account sign-in limit (3) is one count too.
        var throttles = new[] { a, b, a, b }.Select(i => i.Services.GetRequiredService<ISignInThrottle>()).ToArray();
        Assert.Equal(new[] { true, true, true, false }, throttles.Select(t => t.TryAcquire("hanako@example.jp", out _)).ToArray());
        // So is the per-address sign-in limit (3 posts a minute): the fourth post from one address is refused, on either instance.
        var posts = new List<HttpStatusCode>();
        foreach (var client in new[] { clientA, clientB, clientA, clientB })
        {
            using var post = await client.SendAsync(TestPeerAddress.Request(HttpMethod.Post, "/account/login", "198.51.100.7"));
            posts.Add(post.StatusCode);
        }
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, posts.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, posts[3]);
        Assert.Equal("Healthy", (await ReadyAsync(clientA)).Checks["redis"]);

        // Redis goes away: both keep answering from the database and their own memory, and say so on /health/ready.
        await redis.StopAsync();
        foreach (var client in new[] { clientA, clientB })
        {
            var ready = await Eventually.GetAsync(() => ReadyAsync(client), r => r.Checks["redis"] == "Degraded", "the redis check degrades", TimeSpan.FromSeconds(10));
            Assert.Equal("Degraded", ready.Status);
        }
        var (_, during) = await a.CreateKeyAsync("During the outage", ApiAccess.Read, [type.ApiId]);
        await PublishAsync(a, type, "third");
        Assert.Equal(3, (await SlugsAsync(clientA, list, during)).Count);
        Assert.Equal(3, (await SlugsAsync(clientB, list, during)).Count);
        // Per-instance limits meanwhile: each instance counts the key on its own (one list request each so far).
        Assert.Equal(new[] { 2, 1 }, await RemainingAsync([clientA, clientA], during));
        Assert.Equal(new[] { 2 }, await RemainingAsync([clientB], during));

        // Redis is back: both reconnect by themselves and share again.
        await redis.StartAsync();
        foreach (var client in new[] { clientA, clientB })
        {
            await Eventually.GetAsync(() => ReadyAsync(client), r => r.Checks["redis"] == "Healthy", "the instance reconnects to Redis", TimeSpan.FromSeconds(15));
        }
        var (_, after) = await a.CreateKeyAsync("After the outage", ApiAccess.Read, [type.ApiId]);
        Assert.Equal(new[] { 3, 2, 1 }, await RemainingAsync([clientB, clientA, clientB], after));
        var (_, reader) = await a.CreateKeyAsync("Reader", ApiAccess.Read, [type.ApiId]);
        Assert.Equal(3, (await SlugsAsync(clientA, list, reader)).Count);
        await PublishAsync(a, type, "fourth");
        Assert.Contains("fourth", await SlugsAsync(clientB, list, reader));

        // A network partition cuts A off from Redis, which keeps its data (B's answer with "fourth" stays there) while B
        // stays connected. A publishes and makes the type public again meanwhile: both are owed to Redis.
        lineA.Partition();
        var partitioned = Stopwatch.StartNew();
        await Eventually.GetAsync(() => ReadyAsync(clientA), r => r.Checks["redis"] == "Degraded", "A notices the partition", TimeSpan.FromSeconds(20));
        output.WriteLine($"A reported Redis degraded {partitioned.ElapsedMilliseconds} ms into the partition.");
        await PublishAsync(a, type, "fifth");
        await SetPublicAsync(a, type, true);
        Assert.Contains("fifth", await SlugsAsync(clientA, list, reader));
        // B cannot know yet: it serves Redis's answer and keeps the type private (the staleness the partition costs).
        Assert.DoesNotContain("fifth", await SlugsAsync(clientB, list, reader));
        Assert.Equal(HttpStatusCode.Unauthorized, (await clientB.SendAsync(ApiTestKeys.Get(list))).StatusCode);
        output.WriteLine($"A published during the partition ({partitioned.ElapsedMilliseconds} ms in).");

        // The line is back: A reconnects, evicts the tag in Redis and publishes the type change before it reports Healthy,
        // so B's very next request has the new item, and B hears of the type change.
        lineA.Heal();
        await Eventually.GetAsync(() => ReadyAsync(clientA), r => r.Checks["redis"] == "Healthy", "A reconnects and catches up", TimeSpan.FromSeconds(20));
        Assert.Contains("fifth", await SlugsAsync(clientB, list, reader));
        await Eventually.GetAsync(async () => (await clientB.SendAsync(ApiTestKeys.Get(list))).StatusCode,
            status => status == HttpStatusCode.OK, "B serves the type that A made public during the partition", TimeSpan.FromSeconds(5));
    }

    private static async Task PublishAsync(Instance instance, ContentType type, string slug) => await instance.WithContentAsync(async (_, items, publishing) =>
    {
        var input = new ContentItemInput { TypeId = type.Id, Slug = slug };
        input.Ja["title"] = slug;
        var saved = await items.SaveDraftAsync(input);
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        var published = await publishing.PublishAsync(new(saved.Value!.Id));
        Assert.True(published.Succeeded, string.Join(" ", published.Errors));
        return published.Value!;
    });

    private static async Task SetPublicAsync(Instance instance, ContentType type, bool isPublic) => await instance.WithContentAsync(async (types, _, _) =>
    {
        var stored = await types.FindAsync(type.Id);
        stored!.IsPublic = isPublic;
        var saved = await types.SaveAsync(stored);
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        return saved.Value!;
    });

    private static async Task<List<string>> SlugsAsync(HttpClient client, string path, string? key = null)
    {
        using var response = await client.SendAsync(ApiTestKeys.Get(path, key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!).ToList();
    }

    private static async Task<int> TotalAsync(HttpClient client, string path)
    {
        using var response = await client.SendAsync(ApiTestKeys.Get(path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("totalCount").GetInt32();
    }

    private static async Task<int[]> RemainingAsync(HttpClient[] clients, string key)
    {
        var remaining = new List<int>();
        foreach (var client in clients)
        {
            using var response = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(PerKey, Header(response, "X-RateLimit-Limit"));
            remaining.Add(Header(response, "X-RateLimit-Remaining"));
        }
        return [.. remaining];
    }

    private static int Header(HttpResponseMessage response, string name) =>
        int.Parse(Assert.Single(response.Headers.GetValues(name)), CultureInfo.InvariantCulture);

    private sealed record Ready(string Status, Dictionary<string, string> Checks);

    private static async Task<Ready> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return new Ready(json.GetProperty("status").GetString()!,
            json.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal));
    }
}
