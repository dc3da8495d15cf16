using System.Net;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Api;

/// <summary>
/// Per-key and per-client API limits with small budgets and a frozen clock (mid-minute, so no window
/// boundary falls inside a test); each test uses its own addresses and keys.
/// </summary>
public sealed class ApiRateLimitTests(ApiRateLimitTests.Factory factory) : IClassFixture<ApiRateLimitTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 1, 0, 20, TimeSpan.Zero));

        public Factory()
        {
            Settings["Kuroco:RateLimits:ApiPerKeyPerMinute"] = "3";
            Settings["Kuroco:RateLimits:ApiPerClientPerMinute"] = "5";
            TestServices = services =>
            {
                TestPeerAddress.Register(services);
                services.AddSingleton<TimeProvider>(Clock);
            };
        }
    }

    private static int Header(HttpResponseMessage response, string name) =>
        int.Parse(Assert.Single(response.Headers.GetValues(name)), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_response_carries_the_rate_limit_headers_and_the_key_limit_answers_429_with_retry_after()
    {
        var (_, secret) = await factory.CreateKeyAsync("Limited key");
        using var client = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            // Each request from a different address: only the key's budget (3) is shared.
            var ok = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", secret, bearer: i % 2 == 1, peer: $"198.51.100.{10 + i}"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(3, Header(ok, "X-RateLimit-Limit"));
            Assert.Equal(2 - i, Header(ok, "X-RateLimit-Remaining"));
            Assert.Equal(40, Header(ok, "X-RateLimit-Reset"));
        }
        var refused = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", secret, peer: "198.51.100.20"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(40), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(3, Header(refused, "X-RateLimit-Limit"));
        Assert.Equal(0, Header(refused, "X-RateLimit-Remaining"));
        Assert.Equal(40, Header(refused, "X-RateLimit-Reset"));
        var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, json.GetProperty("status").GetInt32());

        // Another key is not affected; the window resets at the next minute.
        var (_, other) = await factory.CreateKeyAsync("Other key");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiTestKeys.Get("/api/v1/me", other, peer: "198.51.100.21"))).StatusCode);
    }

    [Fact]
    public async Task The_per_client_limit_applies_across_keys_and_to_unauthenticated_requests()
    {
        const string peer = "203.0.113.77";
        using var client = factory.CreateClient();
        var unauthenticated = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", peer: peer));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(5, Header(unauthenticated, "X-RateLimit-Limit"));
        Assert.Equal(4, Header(unauthenticated, "X-RateLimit-Remaining"));

        var (_, first) = await factory.CreateKeyAsync("Client A");
        var (_, second) = await factory.CreateKeyAsync("Client B");
        foreach (var key in new[] { first, first, second, second })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiTestKeys.Get("/api/v1/me", key, peer: peer))).StatusCode);
        }
        var refused = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", second, peer: peer));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(0, Header(refused, "X-RateLimit-Remaining"));

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiTestKeys.Get("/api/v1/me", second, peer: peer))).StatusCode);
    }
}
