using System.Globalization;
using Kuroco.Core.Webhooks;

namespace Kuroco.Tests.Unit.Webhooks;

public sealed class WebhookSignatureTests
{
    // Known vector, computed independently:
    //   printf '%s' '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac 'whsec_test' -hex
    private const string Secret = "whsec_test";
    private const long Timestamp = 1700000000;
    private const string Body = "{\"id\":\"x\"}";
    private const string Expected = "sha256=80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3";

    [Fact]
    public void Signature_matches_a_known_vector() =>
        Assert.Equal(Expected, WebhookSignature.Compute(Secret, Timestamp, Body));

    [Fact]
    public void Verify_accepts_a_fresh_signature_and_refuses_old_tampered_or_foreign_ones()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
        var signature = WebhookSignature.Compute(Secret, Timestamp, Body);
        var ts = Timestamp.ToString(CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(Secret, ts, Body, signature, now.AddMinutes(4), WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(Secret, ts, Body, signature, now.AddMinutes(6), WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(Secret, ts, Body + " ", signature, now, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify("whsec_other", ts, Body, signature, now, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(Secret, (Timestamp + 1).ToString(CultureInfo.InvariantCulture), Body, signature, now, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(Secret, "abc", Body, signature, now, WebhookSignature.DefaultTolerance));
    }
}

public sealed class WebhookValidatorTests
{
    private static readonly WebhookSubscriptionRequestValidator Validator = new();

    private static WebhookSubscriptionRequest Valid() => new()
    {
        Name = "Site rebuild",
        TargetUrl = "https://hooks.example.com/kuroco",
        ContentType = "news",
        Events = [WebhookEventTypes.ContentPublished],
    };

    [Fact]
    public void A_valid_request_passes() => Assert.True(Validator.Validate(Valid()).IsValid);

    [Theory]
    [InlineData("")]
    [InlineData("hooks.example.com/kuroco")]               // not absolute
    [InlineData("/relative")]
    [InlineData("ftp://hooks.example.com/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:pass@hooks.example.com/")]   // credentials
    [InlineData("https://user@hooks.example.com/")]
    [InlineData("https://hooks.example.com/\r\nX-Evil: 1")]
    [InlineData("https://hooks.example.com/\n")]
    [InlineData("https://hooks.example.com/a b")]
    public void Bad_urls_are_refused(string url)
    {
        var request = Valid();
        request.TargetUrl = url;
        var result = Validator.Validate(request);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(WebhookSubscriptionRequest.TargetUrl));
    }

    [Fact]
    public void Overlong_url_and_name_are_refused()
    {
        var request = Valid();
        request.TargetUrl = "https://hooks.example.com/" + new string('a', WebhookSubscription.UrlMaxLength);
        request.Name = new string('n', WebhookSubscription.NameMaxLength + 1);
        var result = Validator.Validate(request);
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(WebhookSubscriptionRequest.TargetUrl));
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(WebhookSubscriptionRequest.Name));
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("news", true)]
    [InlineData("product-items", true)]
    [InlineData("News", false)]
    [InlineData("n", false)]
    [InlineData("1news", false)]
    [InlineData("news/../x", false)]
    public void Content_type_is_all_or_an_api_identifier(string type, bool valid)
    {
        var request = Valid();
        request.ContentType = type;
        Assert.Equal(valid, Validator.Validate(request).IsValid);
    }

    [Fact]
    public void Events_must_be_a_non_empty_known_subset()
    {
        var request = Valid();
        request.Events = [];
        Assert.False(Validator.Validate(request).IsValid);
        request.Events = ["content.updated"];
        Assert.False(Validator.Validate(request).IsValid);
        request.Events = [.. WebhookEventTypes.All];
        Assert.True(Validator.Validate(request).IsValid);
    }

    [Fact]
    public void Allowed_hosts_are_validated()
    {
        var validator = new WebhookAllowedHostsValidator();
        Assert.True(validator.Validate([new WebhookAllowedHostEntry("hooks.internal", "CI"), new WebhookAllowedHostEntry("10.0.0.5", null)]).IsValid);
        Assert.False(validator.Validate([new WebhookAllowedHostEntry("", null)]).IsValid);
        Assert.False(validator.Validate([new WebhookAllowedHostEntry("bad host/x", null)]).IsValid);
        Assert.False(validator.Validate([new WebhookAllowedHostEntry("a.example", null), new WebhookAllowedHostEntry("A.example.", null)]).IsValid);
        Assert.False(validator.Validate([new WebhookAllowedHostEntry("a.example", "line\nbreak")]).IsValid);
    }
}
