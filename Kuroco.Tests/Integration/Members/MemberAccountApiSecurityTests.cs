using System.Net;
using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// Member sign-in as hard as staff sign-in: one 401 for every refusal, the member policy's lockout exact under 50
/// parallel wrong passwords, the site's API key, the API IP allowlist, and the documentation of every endpoint.
/// </summary>
public sealed class MemberAccountApiSecurityTests(MemberAccountApiSecurityTests.Factory factory, ITestOutputHelper output)
    : IClassFixture<MemberAccountApiSecurityTests.Factory>
{
    public sealed class Factory : MemberAccountApiFactory
    {
        public Factory()
        {
            var inner = TestServices;
            TestServices = services =>
            {
                inner?.Invoke(services);
                services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<Member>, CountingMemberHasher>();
            };
        }

        public CountingMemberHasher Hasher => (CountingMemberHasher)Services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<Member>>();
    }

    private const string Wrong = "Wrong-Guess-9!zzq";

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    [Fact]
    public async Task Known_and_unknown_addresses_cost_the_same_password_work_and_about_the_same_time()
    {
        var member = await factory.AddMemberAsync();
        var hasher = factory.Hasher;
        // Warm up both paths once.
        await factory.PostAsync("login", new { email = member.Email, password = Wrong });
        await factory.PostAsync("login", new { email = $"warm-{Guid.NewGuid():N}@example.jp", password = Wrong });

        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var before = hasher.AllVerifications;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var a = await factory.PostAsync("login", new { email = member.Email, password = Wrong });
            known.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(before + 1, hasher.AllVerifications);
            watch.Restart();
            var b = await factory.PostAsync("login", new { email = $"nobody-{Guid.NewGuid():N}@example.jp", password = Wrong });
            unknown.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(before + 2, hasher.AllVerifications);
            Assert.Equal(await MemberAccountApiFactory.ProblemWithoutTraceAsync(a), await MemberAccountApiFactory.ProblemWithoutTraceAsync(b));
        }
        // The member's count started again at a right password only: reset it so the lockout does not interfere.
        await factory.ChangeMemberAsync(member.Id, m => m.AccessFailedCount = 0);

        // Registration: one new password hash whether or not the address is a member's.
        var registerKnown = new List<double>();
        var registerUnknown = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var hashes = hasher.Hashes;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var a = await factory.PostAsync("register", new { email = member.Email, password = MemberAccountApiFactory.MemberPassword, displayName = "x" });
            registerKnown.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(hashes + 1, hasher.Hashes);
            watch.Restart();
            var b = await factory.PostAsync("register", new { email = $"new-{Guid.NewGuid():N}@example.jp", password = MemberAccountApiFactory.MemberPassword, displayName = "x" });
            registerUnknown.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(hashes + 2, hasher.Hashes);
            Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (a.StatusCode, b.StatusCode));
            Assert.Equal(await b.Content.ReadAsStringAsync(), await a.Content.ReadAsStringAsync());
        }
        output.WriteLine($"login median: known {Median(known):F0} ms, unknown {Median(unknown):F0} ms; " +
            $"register median: known {Median(registerKnown):F0} ms, unknown {Median(registerUnknown):F0} ms");
        // Generous bound (a loaded shared machine): within one second, or half the slower answer.
        static void Close(double x, double y, string what) =>
            Assert.True(Math.Abs(x - y) < Math.Max(1000, Math.Max(x, y) / 2), $"{what}: {x:F0} ms vs {y:F0} ms");
        Close(Median(known), Median(unknown), "login");
        Close(Median(registerKnown), Median(registerUnknown), "register");
    }

    [Fact]
    public async Task Wrong_password_unknown_email_locked_suspended_unverified_and_passwordless_members_get_one_identical_401()
    {
        var active = await factory.AddMemberAsync();
        var locked = await factory.AddMemberAsync();
        await factory.ChangeMemberAsync(locked.Id, m => m.LockoutEndUtc = factory.Clock.GetUtcNow().UtcDateTime.AddHours(1));
        var suspended = await factory.AddMemberAsync(MemberStatus.Suspended);
        var pending = await factory.AddMemberAsync(MemberStatus.PendingVerification);
        var passwordless = await factory.AddMemberAsync();
        await factory.ChangeMemberAsync(passwordless.Id, m => m.PasswordHash = null);

        var attempts = new (string Email, string Password)[]
        {
            (active.Email, Wrong),
            ($"nobody-{Guid.NewGuid():N}@example.jp", MemberAccountApiFactory.MemberPassword),
            (locked.Email, MemberAccountApiFactory.MemberPassword),
            (suspended.Email, MemberAccountApiFactory.MemberPassword),
            (pending.Email, MemberAccountApiFactory.MemberPassword),
            (passwordless.Email, MemberAccountApiFactory.MemberPassword),
        };
        var bodies = new List<string>();
        foreach (var (email, password) in attempts)
        {
            var response = await factory.PostAsync("login", new { email, password, rememberMe = false });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            bodies.Add(await MemberAccountApiFactory.ProblemWithoutTraceAsync(response));
        }
        Assert.Single(bodies.Distinct());

        // The audit log (staff only) knows why; it never names the member by email.
        var entries = (await factory.AuditEntriesAsync()).Where(e => e.Action == AuditActions.SignInFailed).ToList();
        Assert.Contains(entries, e => e.EntityId == suspended.Id.ToString() && AuditText.English(e).Contains("member suspended", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EntityId == pending.Id.ToString() && AuditText.English(e).Contains("pending email verification", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EntityId == locked.Id.ToString() && AuditText.English(e).Contains("account locked", StringComparison.Ordinal));
        Assert.All(entries, e => Assert.DoesNotContain("@", AuditText.English(e) + e.ActorName, StringComparison.Ordinal));
        // The member's sign-in history has the attempts.
        var history = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().MemberSignIns.AsNoTracking()
            .Where(r => r.MemberId == suspended.Id).ToListAsync());
        Assert.Equal(MemberSignInOutcome.NotAllowed, Assert.Single(history).Outcome);
        Assert.Equal("203.0.113.7", history[0].IpAddress);
    }

    [Fact]
    public async Task Fifty_parallel_wrong_passwords_lock_the_member_after_exactly_the_policys_number_of_checks()
    {
        var policy = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberPasswordPolicyStore>().GetAsync());
        Assert.Equal(5, policy.MaxFailedAttempts);
        var member = await factory.AddMemberAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            factory.PostAsync("login", new { email = member.Email, password = Wrong + i }, peer: $"198.51.100.{i + 1}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Single(await Task.WhenAll(responses.Select(MemberAccountApiFactory.ProblemWithoutTraceAsync)).ContinueWith(t => t.Result.Distinct()));
        var entries = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == member.Id.ToString()).ToList();
        var wrongChecked = entries.Count(e => e.Action == AuditActions.SignInFailed && AuditText.English(e).EndsWith("wrong password.", StringComparison.Ordinal));
        output.WriteLine($"50 parallel wrong passwords: {wrongChecked} checked as wrong before the lock, {entries.Count(e => e.Action == AuditActions.SignInFailed)} refusals");
        // Exactly the policy's number of passwords were checked: 4 wrong, the 5th locked the member.
        Assert.Equal(policy.MaxFailedAttempts - 1, wrongChecked);
        Assert.Single(entries, e => e.Action == AuditActions.LockedOut);
        Assert.Equal(policy.MaxFailedAttempts, factory.Hasher.Verifications(member.Id));
        Assert.Equal(50, entries.Count(e => e.Action == AuditActions.SignInFailed));
        var stored = await factory.MemberAsync(member.Id);
        Assert.True(stored.IsLockedOut(factory.Clock.GetUtcNow()));
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(policy.LockoutMinutes), stored.LockoutEndUtc);
        // One lock mail, in the member's language.
        var mail = Assert.Single(await Support.Eventually.GetAsync(() => factory.MailsToAsync(member.Email), m => m.Count > 0, "the lock mail"));
        Assert.Contains("ロック", mail.Subject, StringComparison.Ordinal);

        // The right password is refused while locked, with the same answer; after the lock it works again.
        var right = await factory.PostAsync("login", new { email = member.Email, password = MemberAccountApiFactory.MemberPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(await MemberAccountApiFactory.ProblemWithoutTraceAsync(responses[0]), await MemberAccountApiFactory.ProblemWithoutTraceAsync(right));
        factory.Clock.Advance(TimeSpan.FromMinutes(policy.LockoutMinutes) + TimeSpan.FromSeconds(1));
        await factory.SignInAsync(member.Email);
    }

    [Fact]
    public async Task The_site_api_key_is_required_on_every_member_endpoint()
    {
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "register"), (HttpMethod.Post, "verify"), (HttpMethod.Post, "login"), (HttpMethod.Post, "refresh"),
            (HttpMethod.Post, "logout"), (HttpMethod.Get, "me"), (HttpMethod.Patch, "me"), (HttpMethod.Post, "password"),
            (HttpMethod.Post, "password/forgot"), (HttpMethod.Post, "password/reset"),
        })
        {
            var response = await factory.SendAsync(method, path, method == HttpMethod.Get ? null : new { }, withKey: false);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_api_ip_allowlist_applies_to_member_sign_in()
    {
        var member = await factory.AddMemberAsync();
        var saved = await factory.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>()
            .SaveAsync(IpAllowlistKind.Api, [new IpAllowlistEntry("192.0.2.0/24", "office")]));
        Assert.True(saved.Succeeded, saved.Message);
        try
        {
            var outside = await factory.PostAsync("login", new { email = member.Email, password = MemberAccountApiFactory.MemberPassword }, peer: "198.51.100.77");
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
            var inside = await factory.PostAsync("login", new { email = member.Email, password = MemberAccountApiFactory.MemberPassword }, peer: "192.0.2.10");
            Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        }
        finally
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>().SaveAsync(IpAllowlistKind.Api, []));
        }
    }

    [Fact]
    public async Task Every_member_endpoint_is_in_the_openapi_document()
    {
        using var client = factory.CreateClient();
        var json = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = json.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("register", "post"), ("verify", "post"), ("login", "post"), ("refresh", "post"), ("logout", "post"), ("me", "get"),
            ("me", "patch"), ("password", "post"), ("password/forgot", "post"), ("password/reset", "post"),
        })
        {
            Assert.True(paths.TryGetProperty("/api/v1/members/" + path, out var item), "missing " + path);
            Assert.True(item.TryGetProperty(method, out var operation), $"missing {method} {path}");
            Assert.True(operation.TryGetProperty("summary", out _));
        }
        Assert.True(json.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("MemberToken", out _));
    }
}

/// <summary>The per-address sign-in budget applies to the member API's sign-in posts as to the console's form.</summary>
public sealed class MemberAccountApiRateLimitTests(MemberAccountApiRateLimitTests.Factory factory) : IClassFixture<MemberAccountApiRateLimitTests.Factory>
{
    public sealed class Factory : MemberAccountApiFactory
    {
        public Factory()
        {
            Settings["Kuroco:RateLimits:SignInPerIpPerMinute"] = "3";
            Settings["Kuroco:RateLimits:SignInPerAccountPerMinute"] = "2";
        }
    }

    [Fact]
    public async Task Sign_in_posts_are_limited_per_address_and_per_account_with_429_and_retry_after()
    {
        var member = await factory.AddMemberAsync();
        var body = new { email = member.Email, password = "Wrong-Guess-9!zzq" };
        // Per account: 2 a minute from any address, then 429 (before any password is checked).
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("login", body, peer: "198.51.100.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("login", body, peer: "198.51.100.2")).StatusCode);
        var perAccount = await factory.PostAsync("login", body, peer: "198.51.100.3");
        Assert.Equal(HttpStatusCode.TooManyRequests, perAccount.StatusCode);
        Assert.NotNull(perAccount.Headers.RetryAfter);
        Assert.Equal(2, (await factory.MemberAsync(member.Id)).AccessFailedCount);

        // Per address: 3 sign-in posts a minute (login, register, verify, password, forgot, reset together), whatever the account.
        for (var i = 0; i < 3; i++)
        {
            var allowed = await factory.PostAsync("password/forgot", new { email = $"x{i}@example.jp" }, peer: "198.51.100.50");
            Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        }
        var perAddress = await factory.PostAsync("login", new { email = "someone@example.jp", password = "x" }, peer: "198.51.100.50");
        Assert.Equal(HttpStatusCode.TooManyRequests, perAddress.StatusCode);
        Assert.Equal("application/problem+json", perAddress.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(perAddress.Headers.RetryAfter);
        // Changing the password checks the current one: the same budget (refused before the token is even read).
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await factory.PostAsync("password", new { currentPassword = "guess", newPassword = "x" }, accessToken: "any", peer: "198.51.100.50")).StatusCode);
        // Reading the profile is not a sign-in post.
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.SendAsync(HttpMethod.Get, "me", null, peer: "198.51.100.50")).StatusCode);
    }
}
