using System.Net;
using Kuroco.Core.Security;
using Kuroco.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Unit.Security;

public sealed class IpRangeTests
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0", true)]
    [InlineData("203.0.113.0/24", "203.0.113.255", true)]
    [InlineData("203.0.113.0/24", "203.0.114.1", false)]
    [InlineData("198.51.100.7/32", "198.51.100.7", true)]
    [InlineData("198.51.100.7/32", "198.51.100.8", false)]
    [InlineData("198.51.100.7", "198.51.100.7", true)]
    [InlineData("198.51.100.7", "198.51.100.6", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8::1/128", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::2", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("::/0", "10.0.0.1", false)]
    // A dual-stack socket reports IPv4 peers as IPv4-mapped IPv6: they match IPv4 ranges.
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.1.2.3", false)]
    [InlineData("127.0.0.1/32", "::ffff:127.0.0.1", true)]
    // A range written as IPv4-mapped IPv6 is the IPv4 range.
    [InlineData("::ffff:10.0.0.0/104", "10.9.8.7", true)]
    [InlineData("::ffff:10.0.0.0/104", "::ffff:10.9.8.7", true)]
    public void Matches_addresses(string cidr, string address, bool expected)
    {
        Assert.True(IpRange.TryParse(cidr, out var network));
        Assert.Equal(expected, IpRange.Contains(network!.Value, IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("not an address")]
    [InlineData("10.0.0.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("/24")]
    [InlineData("10.0.0.1/8")]        // host bits set: a typo, not a range
    [InlineData("256.0.0.0/8")]
    [InlineData("10.0.0/24")]
    [InlineData("1")]                 // IPAddress.TryParse would read this as 0.0.0.1
    [InlineData("0x7f.0.0.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[2001:db8::1]")]
    [InlineData("10.0.0.0/8\n")]
    [InlineData("10.0.0.0/8; 11.0.0.0/8")]
    public void Refuses_invalid_input(string? text)
    {
        Assert.False(IpRange.TryParse(text, out _));
    }

    [Fact]
    public void Surrounding_spaces_are_ignored()
    {
        Assert.True(IpRange.TryParse(" 10.0.0.0/8 ", out var network));
        Assert.Equal("10.0.0.0/8", network!.Value.ToString());
    }

    [Fact]
    public void An_empty_allowlist_is_open_and_a_filled_one_is_not()
    {
        var open = new IpAllowlist(IpAllowlistKind.Console, []);
        Assert.True(open.Allows(IPAddress.Parse("192.0.2.1")));
        Assert.True(open.Allows(null));

        var list = new IpAllowlist(IpAllowlistKind.Console, [new("192.0.2.0/24", "office"), new("2001:db8::/32", null)]);
        Assert.True(list.Allows(IPAddress.Parse("192.0.2.9")));
        Assert.True(list.Allows(IPAddress.Parse("::ffff:192.0.2.9")));
        Assert.True(list.Allows(IPAddress.Parse("2001:db8::5")));
        Assert.False(list.Allows(IPAddress.Parse("198.51.100.1")));
        Assert.False(list.Allows(null));
    }
}

public sealed class IpAllowlistValidatorTests
{
    [Fact]
    public void A_valid_list_passes()
    {
        IReadOnlyList<IpAllowlistEntry> list = [new("10.0.0.0/8", "VPN"), new("2001:db8::/32", null), new("198.51.100.7", "")];
        Assert.True(new IpAllowlistEntriesValidator().Validate(list).IsValid);
        IReadOnlyList<IpAllowlistEntry> empty = [];
        Assert.True(new IpAllowlistEntriesValidator().Validate(empty).IsValid);
    }

    [Theory]
    [InlineData("", null, "Enter an address or a CIDR range.")]
    [InlineData("10.0.0.1/8", null, "Not a valid address or CIDR range")]
    [InlineData("10.0.0.0/8", "line\nbreak", "The comment cannot contain a line break.")]
    public void A_bad_row_gets_a_message(string cidr, string? comment, string message)
    {
        using var culture = new CultureScope("en");
        var result = new IpAllowlistEntryValidator().Validate(new IpAllowlistEntry(cidr, comment));
        Assert.False(result.IsValid);
        Assert.StartsWith(message, Assert.Single(result.Errors).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_comment_is_refused()
    {
        using var culture = new CultureScope("en");
        var result = new IpAllowlistEntryValidator().Validate(new IpAllowlistEntry("10.0.0.0/8", new string('c', IpAllowlistEntry.CommentMaxLength + 1)));
        Assert.Equal("The comment can be at most 200 characters.", Assert.Single(result.Errors).ErrorMessage);
    }

    [Fact]
    public void Messages_are_japanese_in_japanese()
    {
        using var culture = new CultureScope("ja");
        var result = new IpAllowlistEntryValidator().Validate(new IpAllowlistEntry("nonsense", null));
        Assert.StartsWith("有効なアドレスまたはCIDR範囲ではありません", Assert.Single(result.Errors).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_range_twice_is_refused_however_written()
    {
        using var culture = new CultureScope("en");
        IReadOnlyList<IpAllowlistEntry> list = [new("198.51.100.7", "a"), new(" 198.51.100.7/32", "b")];
        var result = new IpAllowlistEntriesValidator().Validate(list);
        Assert.Contains(result.Errors, e => e.ErrorMessage == "The same range is listed twice.");
    }

    [Fact]
    public void Too_many_rows_are_refused()
    {
        IReadOnlyList<IpAllowlistEntry> list = [.. Enumerable.Range(0, IpAllowlistEntriesValidator.MaxEntries + 1).Select(i => new IpAllowlistEntry($"10.0.{i / 256}.{i % 256}", null))];
        Assert.False(new IpAllowlistEntriesValidator().Validate(list).IsValid);
    }
}

public sealed class DeniedRequestCoalescerTests
{
    [Fact]
    public void One_entry_per_address_and_list_per_window_then_the_count_of_the_rest()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var coalescer = new DeniedRequestCoalescer(clock);

        Assert.True(coalescer.ShouldWrite(IpAllowlistKind.Console, "192.0.2.1", out var first));
        Assert.Equal(0, first);
        for (var i = 0; i < 49; i++)
        {
            Assert.False(coalescer.ShouldWrite(IpAllowlistKind.Console, "192.0.2.1", out _));
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        // Another address and the other list are counted separately.
        Assert.True(coalescer.ShouldWrite(IpAllowlistKind.Console, "192.0.2.2", out _));
        Assert.True(coalescer.ShouldWrite(IpAllowlistKind.Api, "192.0.2.1", out _));

        clock.Advance(DeniedRequestCoalescer.Window);
        Assert.True(coalescer.ShouldWrite(IpAllowlistKind.Console, "192.0.2.1", out var suppressed));
        Assert.Equal(49, suppressed);
        Assert.False(coalescer.ShouldWrite(IpAllowlistKind.Console, "192.0.2.1", out _));
    }
}
