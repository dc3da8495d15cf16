using Kuroco.Core.Common;

namespace Kuroco.Tests.Unit.Common;

public sealed class EmailRulesTests
{
    [Theory]
    [InlineData("a@b.jp")]
    [InlineData("first.last+tag@mail.example.co.jp")]
    [InlineData("admin@localhost")]
    public void Plain_addresses_are_valid(string address)
    {
        Assert.True(EmailRules.IsValid(address));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("no-at-sign")]
    [InlineData("a@")]
    [InlineData("@b.jp")]
    [InlineData(" a@b.jp")]
    [InlineData("a@b.jp ")]
    [InlineData("a b@c.jp")]
    [InlineData("Name <a@b.jp>")]
    [InlineData("\"Name\" <a@b.jp>")]
    [InlineData("a@b.jp,c@d.jp")]
    [InlineData("a@b.jp\r\n")]
    [InlineData("a@b.jp\nBcc: c@d.jp")]
    [InlineData("a\u2028@b.jp")]
    [InlineData("a@b.jp\0")]
    public void Anything_but_a_single_plain_address_is_invalid(string? value)
    {
        Assert.False(EmailRules.IsValid(value));
    }

    [Fact]
    public void The_length_limit_is_256_characters()
    {
        var domain = "@example.jp";
        var atLimit = new string('a', 64) + "@" + new string('b', EmailRules.MaxLength - 64 - domain.Length) + domain[1..];
        Assert.Equal(EmailRules.MaxLength, atLimit.Length);
        Assert.True(EmailRules.IsValid(atLimit), atLimit);
        Assert.False(EmailRules.IsValid("c" + atLimit));
    }
}
