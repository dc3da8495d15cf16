using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Security;

/// <summary>
/// The allowlists over a real socket on 127.0.0.1, with no trusted proxy configured: the peer address
/// is Kestrel's, and X-Forwarded-For is ignored whoever sends it (loopback included, which ASP.NET
/// Core would trust by default).
/// </summary>
public sealed class IpRestrictionSocketTests(KestrelAppFactory factory) : IClassFixture<KestrelAppFactory>
{
    private HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = factory.BaseAddress };

    private Task SetConsoleAsync(params string[] cidrs) => factory.WithScopeAsync(async sp =>
    {
        var result = await sp.GetRequiredService<IIpAllowlistService>().SaveAsync(IpAllowlistKind.Console, [.. cidrs.Select(c => new IpAllowlistEntry(c, null))]);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
    });

    [Fact]
    public async Task Loopback_is_admitted_by_a_list_that_holds_it_and_refused_by_one_that_does_not_even_when_it_claims_another_address()
    {
        using var client = Client();
        try
        {
            await SetConsoleAsync("127.0.0.0/8", "::1");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);

            await SetConsoleAsync("192.0.2.0/24");
            var before = (await factory.AuditEntriesAsync()).Count;
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/account/login");
            spoofed.Headers.Add("X-Forwarded-For", "192.0.2.50");
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(spoofed)).StatusCode);
            var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before), e => e.Action == AuditActions.IpDenied);
            Assert.Equal("127.0.0.1", entry.IpAddress);
        }
        finally
        {
            await SetConsoleAsync();
        }
    }
}
