using System.Net;
using Kuroco.Admin.Security;
using Microsoft.Extensions.Options;

namespace Kuroco.Tests.Unit.Security;

public sealed class RateLimitingTests
{
    [Theory]
    [InlineData("198.51.100.7", "198.51.100.7")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void Clients_are_keyed_by_ipv4_address_or_ipv6_slash_64(string address, string key)
    {
        Assert.Equal(key, RateLimiting.ClientKey(IPAddress.Parse(address)));
    }

    [Fact]
    public void The_account_throttle_counts_emails_case_insensitively_and_says_how_long_to_wait()
    {
        using var throttle = new SignInThrottle(Options.Create(new RateLimitOptions { SignInPerAccountPerMinute = 2 }));
        Assert.True(throttle.TryAcquire("someone@test.local", out _));
        Assert.True(throttle.TryAcquire(" SOMEONE@test.local ", out _));
        Assert.False(throttle.TryAcquire("Someone@Test.Local", out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromTicks(1), RateLimiting.Window);
        Assert.True(throttle.TryAcquire("other@test.local", out _));
        Assert.InRange(RateLimiting.RetryAfterSeconds(TimeSpan.FromMilliseconds(1)), 1, 1);
    }
}
