using System.Net;
using Kuroco.Admin.Security;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Tests.Integration.Security;

/// <summary>
/// Production reached over plain HTTP with no HTTPS endpoint and no trusted proxy (a TLS-terminating load
/// balancer that is not listed): a clear 400 page in the request's language instead of a 500 from
/// antiforgery's Secure cookie, and one start-up warning naming the two fixes.
/// </summary>
public sealed class PlainHttpProductionTests(PlainHttpProductionTests.PlainHttpAppFactory factory) : IClassFixture<PlainHttpProductionTests.PlainHttpAppFactory>
{
    private const string PlainHttp = "http://admin.kuroco.test";

    public sealed class PlainHttpAppFactory : KurocoAppFactory
    {
        public PlainHttpAppFactory()
        {
            EnvironmentName = "Production";
            Settings["Kuroco:Jobs:RunServer"] = "false";
            TestServices = services => services.AddSingleton<ILoggerProvider>(Logs);
        }

        public CapturingLoggerProvider Logs { get; } = new();
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/")]
    [InlineData("/security/password-policy")]
    public async Task A_console_page_over_plain_http_explains_the_two_fixes_in_english(string path)
    {
        var response = await factory.CreateBrowserLikeClient(PlainHttp).GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", body, StringComparison.Ordinal);
        Assert.Contains("<h1>HTTPS required</h1>", body, StringComparison.Ordinal);
        Assert.Contains("give the server an HTTPS endpoint", body, StringComparison.Ordinal);
        Assert.Contains("list its address in Kuroco:Security:TrustedProxies", body, StringComparison.Ordinal);
        Assert.DoesNotContain("AntiforgeryOptions", body, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task The_page_follows_accept_language_and_the_culture_cookie()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.AcceptLanguage.ParseAdd("ja-JP,ja;q=0.9,en;q=0.5");
        var byHeader = await factory.CreateBrowserLikeClient(PlainHttp).SendAsync(request);

        using var cookieRequest = new HttpRequestMessage(HttpMethod.Get, "/");
        cookieRequest.Headers.Add("Cookie", "Kuroco.Culture=c%3Dja-JP%7Cuic%3Dja-JP");
        var byCookie = await factory.CreateBrowserLikeClient(PlainHttp).SendAsync(cookieRequest);

        foreach (var response in new[] { byHeader, byCookie })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("<html lang=\"ja\">", body, StringComparison.Ordinal);
            Assert.Contains("<h1>HTTPS が必要です</h1>", body, StringComparison.Ordinal);
            Assert.Contains("Kuroco:Security:TrustedProxies に登録", body, StringComparison.Ordinal);
            Assert.Contains("HTTPS のエンドポイント", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_form_post_over_plain_http_gets_the_same_page_not_a_500()
    {
        var response = await factory.CreateBrowserLikeClient(PlainHttp).PostAsync("/account/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "a@test.local", ["Input.Password"] = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTPS required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_api_are_not_refused_and_https_requests_pass()
    {
        var plain = factory.CreateBrowserLikeClient(PlainHttp);
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync("/health/live")).StatusCode);
        var api = await plain.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);

        var https = await factory.CreateBrowserLikeClient("https://admin.kuroco.test").GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, https.StatusCode);
        Assert.Contains("Kuroco.Antiforgery=", string.Join(";", https.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_warning_at_start_up_names_both_fixes()
    {
        await factory.CreateBrowserLikeClient(PlainHttp).GetAsync("/account/login");
        await factory.CreateBrowserLikeClient(PlainHttp).GetAsync("/");

        var warning = Assert.Single(factory.Logs.Messages, m => m.StartsWith("No HTTPS:", StringComparison.Ordinal));
        Assert.Contains("Production", warning, StringComparison.Ordinal);
        Assert.Contains("HTTPS endpoint", warning, StringComparison.Ordinal);
        Assert.Contains("Kuroco:Security:TrustedProxies", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "http://[::]:8080" }, 0, true)]
    [InlineData(new[] { "http://localhost:5000", "http://127.0.0.1:5001" }, 0, true)]
    [InlineData(new string[0], 0, true)]
    [InlineData(new[] { "http://[::]:8080", "https://[::]:8443" }, 0, false)]
    [InlineData(new[] { "HTTPS://example.test" }, 0, false)]
    [InlineData(new[] { "http://[::]:8080" }, 1, false)]
    public void No_https_is_no_https_address_and_no_trusted_proxy(string[] addresses, int proxies, bool lacks) =>
        Assert.Equal(lacks, PlainHttpGuard.LacksHttps(addresses, proxies));
}
