using Kuroco.Core.Api;
using Kuroco.Core.Demo;

namespace Kuroco.Tests.Unit.Demo;

/// <summary>Chosen keys (Kuroco:Demo:ApiKey): which values are accepted, and a display prefix that shows none of the key.</summary>
public sealed class ChosenApiKeyTests
{
    [Theory]
    [InlineData("demo-read-key-change-me")]
    [InlineData("12345678901234567890")]
    [InlineData("Key!With#Punctuation~And_More")]
    public void Printable_ascii_of_20_to_200_characters_is_a_chosen_key(string key)
    {
        Assert.True(ApiKeySecret.IsChosenWellFormed(key));
        Assert.True(ApiKeySecret.IsAcceptable(key));
        Assert.True(new DemoOptions { ApiKey = key }.IsValid());
    }

    [Theory]
    [InlineData("1234567890123456789")]
    [InlineData("demo read key change me")]
    [InlineData("demo-read-key\tchange-me")]
    [InlineData("demo-read-key-change-me\n")]
    [InlineData("demo-read-key-change-me\r")]
    [InlineData("demo-read-key-chänge-me")]
    [InlineData("demo-read-key-change-me\0")]
    public void Short_whitespace_control_or_non_ascii_values_are_refused(string key)
    {
        Assert.False(ApiKeySecret.IsChosenWellFormed(key));
        Assert.False(new DemoOptions { ApiKey = key }.IsValid());
    }

    [Fact]
    public void Two_hundred_characters_is_the_limit_and_no_key_is_fine()
    {
        Assert.True(ApiKeySecret.IsChosenWellFormed(new string('k', 200)));
        Assert.False(ApiKeySecret.IsChosenWellFormed(new string('k', 201)));
        Assert.True(new DemoOptions().IsValid());
        Assert.True(new DemoOptions { ApiKey = "" }.IsValid());
    }

    [Fact]
    public void A_chosen_keys_prefix_is_a_hash_fragment_and_a_generated_keys_prefix_is_unchanged()
    {
        const string chosen = "demo-read-key-change-me";
        var prefix = ApiKeySecret.Prefix(chosen);
        Assert.Matches("^kx_[0-9a-f]{8}$", prefix);
        Assert.Equal(ApiKeySecret.PrefixLength, prefix.Length);
        Assert.Equal(prefix, ApiKeySecret.Prefix(chosen));
        Assert.NotEqual(prefix, ApiKeySecret.Prefix("demo-read-key-change-me-2"));

        var generated = ApiKeySecret.Generate();
        Assert.Equal(generated[..ApiKeySecret.PrefixLength], ApiKeySecret.Prefix(generated));
    }
}
