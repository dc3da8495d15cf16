using Kuroco.Core.Content;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Content;

/// <summary>A type's delivery settings: their ranges and the Cache-Control header they make.</summary>
public sealed class ContentDeliveryRulesTests
{
    private static ContentType Type(int maxAge = 0, int swr = 0, int sie = 0, bool isPublic = false) => new()
    {
        Name = "News",
        ApiId = "news",
        Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText }],
        IsPublic = isPublic,
        CacheMaxAgeSeconds = maxAge,
        CacheStaleWhileRevalidateSeconds = swr,
        CacheStaleIfErrorSeconds = sie,
    };

    [Fact]
    public void A_new_type_is_not_public_and_asks_caches_to_revalidate_every_time()
    {
        var type = new ContentType();
        Assert.False(type.IsPublic);
        Assert.Equal((0, 0, 0), (type.CacheMaxAgeSeconds, type.CacheStaleWhileRevalidateSeconds, type.CacheStaleIfErrorSeconds));
        Assert.Equal("private, max-age=0, stale-while-revalidate=0, stale-if-error=0", ContentDelivery.CacheControl(type, anonymous: true));
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(60, 30, 86_400)]
    [InlineData(ContentDelivery.MaxCacheSeconds, ContentDelivery.MaxCacheSeconds, ContentDelivery.MaxCacheSeconds)]
    public void Lifetimes_from_zero_to_one_year_are_valid(int maxAge, int swr, int sie) =>
        Assert.True(new ContentTypeValidator().Validate(Type(maxAge, swr, sie)).IsValid);

    [Theory]
    [InlineData(-1, 0, 0, nameof(ContentType.CacheMaxAgeSeconds), "max-age")]
    [InlineData(ContentDelivery.MaxCacheSeconds + 1, 0, 0, nameof(ContentType.CacheMaxAgeSeconds), "max-age")]
    [InlineData(0, -5, 0, nameof(ContentType.CacheStaleWhileRevalidateSeconds), "stale-while-revalidate")]
    [InlineData(0, int.MaxValue, 0, nameof(ContentType.CacheStaleWhileRevalidateSeconds), "stale-while-revalidate")]
    [InlineData(0, 0, -1, nameof(ContentType.CacheStaleIfErrorSeconds), "stale-if-error")]
    [InlineData(0, 0, 40_000_000, nameof(ContentType.CacheStaleIfErrorSeconds), "stale-if-error")]
    public void Negative_or_longer_than_a_year_is_refused_with_a_message_naming_the_setting(int maxAge, int swr, int sie, string property, string named)
    {
        using var culture = new CultureScope("en");
        var result = new ContentTypeValidator().Validate(Type(maxAge, swr, sie));
        var error = Assert.Single(result.Errors);
        Assert.Equal(property, error.PropertyName);
        Assert.Contains(named, error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("31536000", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_messages_are_in_japanese_too()
    {
        using var culture = new CultureScope("ja");
        var error = Assert.Single(new ContentTypeValidator().Validate(Type(maxAge: -1)).Errors);
        Assert.Contains("秒数で指定してください", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true, "public, max-age=60, stale-while-revalidate=30, stale-if-error=600")]
    [InlineData(true, false, "private, max-age=60, stale-while-revalidate=30, stale-if-error=600")]
    [InlineData(false, true, "private, max-age=60, stale-while-revalidate=30, stale-if-error=600")]
    [InlineData(false, false, "private, max-age=60, stale-while-revalidate=30, stale-if-error=600")]
    public void Only_a_public_type_read_without_a_key_may_sit_in_shared_caches(bool isPublic, bool anonymous, string expected) =>
        Assert.Equal(expected, ContentDelivery.CacheControl(Type(60, 30, 600, isPublic), anonymous));

    [Fact]
    public void The_audit_line_names_every_setting()
    {
        Assert.Equal("public; max-age 60s, stale-while-revalidate 30s, stale-if-error 600s", ContentDelivery.Describe(Type(60, 30, 600, isPublic: true)));
        Assert.Equal("key required; max-age 0s, stale-while-revalidate 0s, stale-if-error 0s", ContentDelivery.Describe(Type()));
    }
}
