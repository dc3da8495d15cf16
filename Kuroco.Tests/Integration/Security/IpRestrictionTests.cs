using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Security;

/// <summary>The allowlists through the real pipeline; the peer address comes from <see cref="TestPeerAddress"/>.</summary>
public sealed class IpRestrictionTests(IpRestrictionTests.Factory factory) : IClassFixture<IpRestrictionTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        public const string TrustedProxy = "10.9.0.1";

        /// <summary>The clock of the refusal coalescer only (the app keeps the real one), so a test can end a window.</summary>
        public FakeTimeProvider CoalescerClock { get; } = new(DateTimeOffset.UtcNow);

        public Factory()
        {
            TestServices = services =>
            {
                TestPeerAddress.Register(services);
                services.AddSingleton(new DeniedRequestCoalescer(CoalescerClock));
            };
            Settings["Kuroco:Security:TrustedProxies:0"] = TrustedProxy;
        }
    }

    private async Task SetAsync(IpAllowlistKind kind, params string[] cidrs)
    {
        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>()
            .SaveAsync(kind, [.. cidrs.Select(c => new IpAllowlistEntry(c, "test"))]));
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string peer, string? forwardedFor = null)
    {
        using var client = factory.CreateBrowserLikeClient();
        using var request = TestPeerAddress.Request(HttpMethod.Get, path, peer, forwardedFor);
        return await client.SendAsync(request);
    }

    private async Task ResetAsync()
    {
        await SetAsync(IpAllowlistKind.Console);
        await SetAsync(IpAllowlistKind.Api);
    }

    [Fact]
    public async Task Console_allowlist_refuses_outside_addresses_with_403_and_an_audit_entry_and_admits_inside_ones()
    {
        await SetAsync(IpAllowlistKind.Console, "192.0.2.0/24");
        try
        {
            var before = (await factory.AuditEntriesAsync()).Count;
            var outside = await GetAsync("/account/login", "198.51.100.20");
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
            Assert.Contains("198.51.100.20", await outside.Content.ReadAsStringAsync());

            var inside = await GetAsync("/account/login", "192.0.2.44");
            Assert.Equal(HttpStatusCode.OK, inside.StatusCode);

            var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before), e => e.Action == AuditActions.IpDenied);
            Assert.Equal(AuditOutcome.Denied, entry.Outcome);
            Assert.Equal("198.51.100.20", entry.IpAddress);
            Assert.Equal("Console", entry.EntityId);
            Assert.Equal("GET /account/login from 198.51.100.20 refused by the Console IP allowlist. "
                + "Further refusals of this address within 5 minutes are counted in its next entry.", AuditText.English(entry));
            Assert.Equal("198.51.100.20 からの GET /account/login を管理画面のIP許可リストにより拒否しました。"
                + "この後 5 分以内の同じアドレスからの拒否は、次の記録にまとめて数えます。", AuditText.Japanese(entry));

            // Health stays reachable for load balancers; the API is governed by its own (open) list.
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/health/live", "198.51.100.20")).StatusCode);
            Assert.NotEqual(HttpStatusCode.Forbidden, (await GetAsync("/api/anything", "198.51.100.20")).StatusCode);
            // A customer approves a restore request's quote from anywhere: the link's page answers (an unknown token
            // shows the "cannot be used" page), the rest of the console stays closed.
            var approval = await GetAsync("/restore-requests/approve/unknown-token", "198.51.100.20");
            Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/restore-requests", "198.51.100.20")).StatusCode);
        }
        finally
        {
            await ResetAsync();
        }
    }

    [Fact]
    public async Task The_refusal_text_is_japanese_for_a_japanese_browser()
    {
        await SetAsync(IpAllowlistKind.Console, "192.0.2.0/24");
        try
        {
            using var client = factory.CreateBrowserLikeClient();
            using var request = TestPeerAddress.Request(HttpMethod.Get, "/", "198.51.100.21");
            request.Headers.AcceptLanguage.ParseAdd("ja-JP,ja;q=0.9");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(body.Contains("IP許可リスト", StringComparison.Ordinal), body);
        }
        finally
        {
            await ResetAsync();
        }
    }

    [Fact]
    public async Task IPv6_ranges_apply_and_ipv4_mapped_peers_match_ipv4_ranges()
    {
        await SetAsync(IpAllowlistKind.Console, "2001:db8:1::/48", "192.0.2.0/24");
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/account/login", "2001:db8:1::7")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/account/login", "2001:db8:2::7")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/account/login", "::ffff:192.0.2.9")).StatusCode);
        }
        finally
        {
            await ResetAsync();
        }
    }

    [Fact]
    public async Task Forwarded_for_is_believed_from_a_trusted_proxy_only()
    {
        await SetAsync(IpAllowlistKind.Console, "192.0.2.0/24");
        try
        {
            // Through the trusted proxy, the client named in X-Forwarded-For is judged.
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/account/login", Factory.TrustedProxy, "192.0.2.50")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/account/login", Factory.TrustedProxy, "203.0.113.50")).StatusCode);

            // A client that prepends an inside address of its own is judged by the address the proxy saw.
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/account/login", Factory.TrustedProxy, "192.0.2.50, 203.0.113.7")).StatusCode);

            // An untrusted peer claiming an inside address is judged by its own address.
            var before = (await factory.AuditEntriesAsync()).Count;
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/account/login", "203.0.113.99", "192.0.2.50")).StatusCode);
            var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before), e => e.Action == AuditActions.IpDenied);
            Assert.Equal("203.0.113.99", entry.IpAddress);
        }
        finally
        {
            await ResetAsync();
        }
    }

    [Fact]
    public async Task The_api_allowlist_applies_to_api_paths_only_and_answers_problem_details()
    {
        await SetAsync(IpAllowlistKind.Api, "192.0.2.0/24");
        try
        {
            var refused = await GetAsync("/api/content", "198.51.100.30");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"status\":403", await refused.Content.ReadAsStringAsync());

            Assert.NotEqual(HttpStatusCode.Forbidden, (await GetAsync("/api/content", "192.0.2.30")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/account/login", "198.51.100.30")).StatusCode);
        }
        finally
        {
            await ResetAsync();
        }
    }

    [Fact]
    public async Task The_next_entry_after_the_window_counts_the_refusals_that_were_not_written()
    {
        await SetAsync(IpAllowlistKind.Console, "192.0.2.0/24");
        try
        {
            var before = (await factory.AuditEntriesAsync()).Count;
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/", "198.51.100.90")).StatusCode);
            }
            Assert.Single((await factory.AuditEntriesAsync()).Skip(before), e => e.Action == AuditActions.IpDenied);

            factory.CoalescerClock.Advance(DeniedRequestCoalescer.Window + TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff", "198.51.100.90")).StatusCode);

            var entries = (await factory.AuditEntriesAsync()).Skip(before).Where(e => e.Action == AuditActions.IpDenied).ToList();
            Assert.Equal(2, entries.Count);
            Assert.Equal("3", AuditParameters.Deserialize(entries[1].Parameters)["suppressed"]);
            Assert.Equal("GET /staff from 198.51.100.90 refused by the Console IP allowlist; 3 earlier refusals of this address were not logged separately. "
                + "Further refusals of this address within 5 minutes are counted in its next entry.", AuditText.English(entries[1]));
            Assert.Equal("198.51.100.90 からの GET /staff を管理画面のIP許可リストにより拒否しました。このアドレスからのそれ以前の拒否 3 件は個別に記録していません。"
                + "この後 5 分以内の同じアドレスからの拒否は、次の記録にまとめて数えます。", AuditText.Japanese(entries[1]));
        }
        finally
        {
            await ResetAsync();
        }
    }

    [Fact]
    public async Task A_flood_of_refused_requests_writes_one_coalesced_entry()
    {
        await SetAsync(IpAllowlistKind.Console, "192.0.2.0/24");
        try
        {
            var before = (await factory.AuditEntriesAsync()).Count;
            using var client = factory.CreateBrowserLikeClient();
            for (var i = 0; i < 50; i++)
            {
                using var request = TestPeerAddress.Request(HttpMethod.Get, "/", "198.51.100.77");
                Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
            }
            var denied = (await factory.AuditEntriesAsync()).Skip(before).Where(e => e.Action == AuditActions.IpDenied).ToList();
            Assert.Single(denied);

            // A line break smuggled into the path does not reach the audit summary.
            using var injected = TestPeerAddress.Request(HttpMethod.Get, "/x%0AFAKE%20ENTRY", "198.51.100.78");
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(injected)).StatusCode);
            var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.IpDenied);
            Assert.Equal("198.51.100.78", entry.IpAddress);
            Assert.DoesNotContain('\n', AuditText.English(entry));
            Assert.Contains("GET /x?FAKE ENTRY from 198.51.100.78 refused", AuditText.English(entry), StringComparison.Ordinal);
        }
        finally
        {
            await ResetAsync();
        }
    }

    [Theory]
    [InlineData(StaffRoles.SecurityOfficer, HttpStatusCode.OK)]
    [InlineData(StaffRoles.Administrator, HttpStatusCode.OK)]
    [InlineData(StaffRoles.ContentEditor, HttpStatusCode.Forbidden)]
    public async Task The_screen_is_for_the_security_area_and_shows_the_callers_address(string role, HttpStatusCode expected)
    {
        var email = $"ip-screen-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        using var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add(TestPeerAddress.HeaderName, Factory.TrustedProxy);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.123");
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync("/security/ip-restrictions");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Contains("192.0.2.123", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Saving_an_allowlist_is_audited_with_before_and_after()
    {
        var before = (await factory.AuditEntriesAsync()).Count;
        await SetAsync(IpAllowlistKind.Api, "192.0.2.0/24", "2001:db8::/32");
        await ResetAsync();
        var refused = await factory.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>()
            .SaveAsync(IpAllowlistKind.Api, [new IpAllowlistEntry("192.0.2.0/24", null), new IpAllowlistEntry("not-an-address", null)]));
        Assert.Equal(ErrorKind.Validation, refused.Error);
        Assert.All(refused.FieldErrors, e => Assert.StartsWith("Entries[1]", e.Field, StringComparison.Ordinal));
        var changes = (await factory.AuditEntriesAsync()).Skip(before).Where(e => e.Action == AuditActions.IpAllowlistChanged).ToList();
        Assert.Equal(2, changes.Count);
        var added = AuditChanges.Deserialize(changes[0].Changes).Single();
        Assert.Equal("ApiAllowlist", added.Field);
        Assert.Equal("(open)", added.Before);
        Assert.Equal("192.0.2.0/24 (test); 2001:db8::/32 (test)", added.After);
    }
}

/// <summary>Kuroco:Security:DisableIpRestrictions opens everything, whatever the lists say.</summary>
public sealed class IpRestrictionOverrideTests(IpRestrictionOverrideTests.Factory factory) : IClassFixture<IpRestrictionOverrideTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        public CapturingLoggerProvider Logs { get; } = new();

        public Factory()
        {
            Settings["Kuroco:Security:DisableIpRestrictions"] = "true";
            TestServices = services =>
            {
                TestPeerAddress.Register(services);
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            };
        }
    }

    [Fact]
    public async Task The_emergency_override_opens_both_lists_and_warns_at_start_up()
    {
        await factory.WithScopeAsync(async sp =>
        {
            var service = sp.GetRequiredService<IIpAllowlistService>();
            Assert.True((await service.SaveAsync(IpAllowlistKind.Console, [new("192.0.2.0/24", null)])).Succeeded);
            Assert.True((await service.SaveAsync(IpAllowlistKind.Api, [new("192.0.2.0/24", null)])).Succeeded);
        });
        using var client = factory.CreateBrowserLikeClient();
        using var console = TestPeerAddress.Request(HttpMethod.Get, "/account/login", "198.51.100.1");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(console)).StatusCode);
        using var api = TestPeerAddress.Request(HttpMethod.Get, "/api/content", "198.51.100.1");
        Assert.NotEqual(HttpStatusCode.Forbidden, (await client.SendAsync(api)).StatusCode);
        Assert.Contains(factory.Logs.Messages, m => m.Contains("DisableIpRestrictions", StringComparison.Ordinal));
    }
}
