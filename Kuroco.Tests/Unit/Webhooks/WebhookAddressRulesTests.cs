using System.Net;
using Kuroco.Core.Webhooks;

namespace Kuroco.Tests.Unit.Webhooks;

public sealed class WebhookAddressRulesTests
{
    [Theory]
    [InlineData("0.0.0.0")]          // unspecified
    [InlineData("0.255.255.255")]    // 0.0.0.0/8
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]       // CGNAT
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("169.254.0.1")]
    [InlineData("169.254.169.254")]  // cloud metadata
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("192.168.255.255")]
    [InlineData("224.0.0.1")]        // multicast
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]  // broadcast
    [InlineData("::")]               // unspecified
    [InlineData("::1")]              // loopback
    [InlineData("fc00::1")]          // unique local
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]          // link-local
    [InlineData("febf::1")]
    [InlineData("ff02::1")]          // multicast
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("::ffff:100.64.0.1")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::127.0.0.1")]      // IPv4-compatible
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    public void Refuses_internal_addresses(string address) =>
        Assert.True(WebhookAddressRules.IsForbidden(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")]    // just below 10/8
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]   // just below CGNAT
    [InlineData("100.128.0.0")]      // just above CGNAT
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]   // just below 172.16/12
    [InlineData("172.32.0.0")]       // just above
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("223.255.255.255")]  // just below multicast
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("fbff::1")]          // just below fc00::/7
    [InlineData("fe00::1")]          // not link-local
    [InlineData("::ffff:93.184.216.34")]
    public void Allows_public_addresses(string address) =>
        Assert.False(WebhookAddressRules.IsForbidden(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("2130706433", "127.0.0.1")]     // decimal
    [InlineData("0x7f.1", "127.0.0.1")]         // hex, two parts
    [InlineData("0x7f000001", "127.0.0.1")]     // hex
    [InlineData("0177.0.0.1", "127.0.0.1")]     // octal
    [InlineData("0177.0.0.01", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]          // shortened
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("0xA9.0xFE.0xA9.0xFE", "169.254.169.254")]
    [InlineData("2852039166", "169.254.169.254")]
    [InlineData("012.0.0.1", "10.0.0.1")]
    [InlineData("[::1]", "::1")]
    [InlineData("[::ffff:7f00:1]", "::ffff:127.0.0.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]     // trailing dot
    public void Reads_numeric_host_spellings_as_resolvers_do(string host, string expected)
    {
        Assert.True(WebhookAddressRules.TryParseAddressLiteral(host, out var address), host);
        Assert.Equal(IPAddress.Parse(expected), address);
        Assert.True(WebhookAddressRules.IsForbidden(address));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("hooks.example.com")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("0x1g.0.0.1")]
    [InlineData("08.0.0.1")]                    // 8 is not octal
    [InlineData("4294967296")]                  // 2^32
    [InlineData("1.2.65536")]
    public void Names_and_malformed_numbers_are_not_literals(string host) =>
        Assert.False(WebhookAddressRules.TryParseAddressLiteral(host, out _), host);

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("localhost.")]
    [InlineData("api.localhost")]
    [InlineData("api.localhost.")]
    [InlineData("localhost.localdomain")]
    [InlineData("ip6-localhost")]
    public void Local_names_are_recognized(string host) => Assert.True(WebhookAddressRules.IsLocalName(host));

    [Theory]
    [InlineData("localhost.example.com")]
    [InlineData("mylocalhost")]
    [InlineData("example.com")]
    public void Other_names_are_not_local(string host) => Assert.False(WebhookAddressRules.IsLocalName(host));

    [Theory]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f.1/")]
    [InlineData("https://0177.0.0.1/hook")]
    [InlineData("https://127.1/")]
    [InlineData("https://[::1]/")]
    [InlineData("https://[::ffff:127.0.0.1]/")]
    [InlineData("https://[::ffff:a9fe:a9fe]/")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.5:8443/x")]
    [InlineData("https://localhost/")]
    [InlineData("https://localhost./")]
    [InlineData("https://LocalHost:5080/")]
    [InlineData("https://printer.localhost/")]
    [InlineData("https://0.0.0.0/")]
    public async Task Urls_with_internal_hosts_are_refused_without_asking_dns(string url)
    {
        var resolver = new FixedResolver();
        var verdict = await WebhookTargetGuard.CheckAsync(new Uri(url), new FixedAllowlist(), resolver);
        Assert.Equal(WebhookTargetVerdict.ForbiddenAddress, verdict);
        Assert.Equal(0, resolver.Calls);
    }

    [Fact]
    public async Task A_name_resolving_to_any_internal_address_is_refused()
    {
        var resolver = new FixedResolver(IPAddress.Parse("93.184.216.34"), IPAddress.Parse("127.0.0.1"));
        Assert.Equal(WebhookTargetVerdict.ForbiddenAddress,
            await WebhookTargetGuard.CheckAsync(new Uri("https://rebind.example/"), new FixedAllowlist(), resolver));
    }

    [Fact]
    public async Task A_name_resolving_to_public_addresses_is_allowed_and_no_answer_is_unresolvable()
    {
        Assert.Equal(WebhookTargetVerdict.Allowed,
            await WebhookTargetGuard.CheckAsync(new Uri("https://hooks.example/"), new FixedAllowlist(), new FixedResolver(IPAddress.Parse("93.184.216.34"))));
        Assert.Equal(WebhookTargetVerdict.Unresolvable,
            await WebhookTargetGuard.CheckAsync(new Uri("https://nowhere.example/"), new FixedAllowlist(), new FixedResolver()));
    }

    [Theory]
    [InlineData("https://internal.example/", "internal.example")]
    [InlineData("https://Internal.Example./", "internal.example")]
    [InlineData("http://localhost:8080/", "localhost")]
    [InlineData("https://127.0.0.1/", "127.0.0.1")]
    public async Task An_allowlisted_host_is_allowed_whatever_it_resolves_to(string url, string allowed)
    {
        var verdict = await WebhookTargetGuard.CheckAsync(new Uri(url), new FixedAllowlist(allowed), new FixedResolver(IPAddress.Loopback));
        Assert.Equal(WebhookTargetVerdict.Allowed, verdict);
    }

    internal sealed class FixedResolver(params IPAddress[] answer) : IWebhookHostResolver
    {
        public int Calls { get; private set; }

        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult<IReadOnlyList<IPAddress>>(answer);
        }
    }

    internal sealed class FixedAllowlist(params string[] hosts) : IWebhookHostAllowlist
    {
        public ValueTask<bool> IsAllowedAsync(string host, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(hosts.Contains(WebhookAddressRules.NormalizeHost(host), StringComparer.Ordinal));

        public void Invalidate()
        {
        }
    }
}
