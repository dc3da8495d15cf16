using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuroco.Tests.Integration.Security;

/// <summary>Rate limits and sign-in timing through the real pipeline, with small limits; each test uses its own addresses.</summary>
public sealed class RateLimitTests(RateLimitTests.Factory factory) : IClassFixture<RateLimitTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        public CountingPasswordHasher.Counter Verifications { get; } = new();

        public Factory()
        {
            Settings["Kuroco:RateLimits:SignInPerIpPerMinute"] = "3";
            Settings["Kuroco:RateLimits:SignInPerAccountPerMinute"] = "2";
            Settings["Kuroco:RateLimits:ApiPerClientPerMinute"] = "5";
            Settings["Kuroco:RateLimits:PasswordCheckPerMinute"] = "4";
            TestServices = services =>
            {
                TestPeerAddress.Register(services);
                services.AddSingleton(Verifications);
                services.AddScoped<IPasswordHasher<StaffUser>>(sp => new CountingPasswordHasher(
                    new PasswordHasher<StaffUser>(sp.GetService<IOptions<PasswordHasherOptions>>()), Verifications));
            };
        }
    }

    private HttpClient ClientFrom(string peer)
    {
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add(TestPeerAddress.HeaderName, peer);
        return client;
    }

    [Fact]
    public async Task Sign_in_posts_past_the_per_address_limit_get_429_with_retry_after()
    {
        using var client = ClientFrom("198.51.100.101");
        for (var i = 0; i < 3; i++)
        {
            var allowed = await KurocoAppFactory.PostLoginAsync(client, $"someone{i}@test.local", "Wrong-Passw0rd!x");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        var refused = await KurocoAppFactory.PostLoginAsync(client, "someone-else@test.local", "Wrong-Passw0rd!x");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero && delta <= TimeSpan.FromMinutes(1));
        Assert.Contains("Too many requests", await refused.Content.ReadAsStringAsync());

        // Reading the form is not limited, and other addresses are not affected.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
        using var other = ClientFrom("198.51.100.102");
        Assert.Equal(HttpStatusCode.OK, (await KurocoAppFactory.PostLoginAsync(other, "someone@test.local", "Wrong-Passw0rd!x")).StatusCode);
    }

    [Fact]
    public async Task The_second_sign_in_step_shares_the_per_address_sign_in_budget()
    {
        // Guessing authenticator or recovery codes is guessing a secret too: one budget for every sign-in form.
        using var client = ClientFrom("198.51.100.111");
        var empty = new Dictionary<string, string>();
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.PostAsync("/account/login-2fa", new FormUrlEncodedContent(empty))).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.PostAsync("/account/login-recovery", new FormUrlEncodedContent(empty))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await KurocoAppFactory.PostLoginAsync(client, "nobody@test.local", "Wrong-Passw0rd!x")).StatusCode);

        foreach (var path in new[] { "/account/login-2fa", "/account/login-recovery", "/account/login" })
        {
            var refused = await client.PostAsync(path, new FormUrlEncodedContent(empty));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }
        // Reading the pages is not limited.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync("/account/login-2fa")).StatusCode);
    }

    [Fact]
    public async Task Strength_checks_past_their_per_address_limit_get_429()
    {
        using var client = ClientFrom("198.51.100.121");
        var email = $"meter-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        var page = await client.GetStringAsync("/account/change-password");
        var token = KurocoAppFactory.AntiforgeryToken(page);
        Task<HttpResponseMessage> CheckAsync() => client.PostAsync("/account/password-check", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["password"] = "a sample password", ["__RequestVerificationToken"] = token,
        }));
        // Sign-in used one post of this address's sign-in budget, not of the checker's.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await CheckAsync()).StatusCode);
        }
        var refused = await CheckAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Sign_in_attempts_past_the_per_account_limit_get_429_whatever_the_address()
    {
        var email = $"throttled-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        for (var i = 0; i < 2; i++)
        {
            using var client = ClientFrom($"203.0.113.{10 + i}");
            Assert.Equal(HttpStatusCode.OK, (await KurocoAppFactory.PostLoginAsync(client, email, "Wrong-Passw0rd!x")).StatusCode);
        }
        using var third = ClientFrom("203.0.113.12");
        // Even the right password is refused while the account's limit is used up.
        var refused = await KurocoAppFactory.PostLoginAsync(third, email.ToUpperInvariant(), KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many sign-in attempts for this account.", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain(refused.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("Kuroco.Auth", StringComparison.Ordinal)));

        // Another account from the same address is still fine.
        Assert.Equal(HttpStatusCode.OK, (await KurocoAppFactory.PostLoginAsync(third, "another@test.local", "Wrong-Passw0rd!x")).StatusCode);
    }

    [Fact]
    public async Task Api_requests_past_the_per_client_limit_get_429_problem_details_with_retry_after()
    {
        using var client = ClientFrom("192.0.2.201");
        for (var i = 0; i < 5; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/content")).StatusCode);
        }
        var refused = await client.GetAsync("/api/content");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // The console is not counted against the API.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_email_still_costs_one_password_hash_check_like_a_wrong_password()
    {
        var email = $"timing-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);

        using var first = ClientFrom("192.0.2.211");
        var before = factory.Verifications.Count;
        await KurocoAppFactory.PostLoginAsync(first, email, "Wrong-Passw0rd!x");
        var forWrongPassword = factory.Verifications.Count - before;

        using var second = ClientFrom("192.0.2.212");
        before = factory.Verifications.Count;
        await KurocoAppFactory.PostLoginAsync(second, $"nobody-{Guid.NewGuid():N}@test.local", "Wrong-Passw0rd!x");
        var forUnknownEmail = factory.Verifications.Count - before;

        Assert.Equal(1, forWrongPassword);
        Assert.Equal(1, forUnknownEmail);
    }
}

/// <summary>The app's password hasher, counting verifications (so a test sees work done without timing anything).</summary>
public sealed class CountingPasswordHasher(IPasswordHasher<StaffUser> inner, CountingPasswordHasher.Counter counter) : IPasswordHasher<StaffUser>
{
    public sealed class Counter
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public void Increment() => Interlocked.Increment(ref count);
    }

    public string HashPassword(StaffUser user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
    {
        counter.Increment();
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>Limits and proxies are validated at start-up: a typo stops the app instead of silently opening it.</summary>
public sealed class NetworkSettingsValidationTests
{
    [Theory]
    [InlineData("Kuroco:RateLimits:SignInPerIpPerMinute", "0", "SignInPerIpPerMinute")]
    [InlineData("Kuroco:RateLimits:SignInPerAccountPerMinute", "-1", "SignInPerAccountPerMinute")]
    [InlineData("Kuroco:RateLimits:ApiPerClientPerMinute", "0", "ApiPerClientPerMinute")]
    [InlineData("Kuroco:Security:TrustedProxies:0", "10.0.0.1/8", "TrustedProxies")]
    [InlineData("Kuroco:Security:TrustedProxies:0", "proxy.example.com", "TrustedProxies")]
    public void Invalid_settings_stop_start_up(string key, string value, string named)
    {
        using var factory = new KurocoAppFactory();
        factory.Settings[key] = value;
        var error = Record.Exception(() => factory.CreateClient());
        Assert.NotNull(error);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }
}
