using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Security;

public sealed class SecurityHeadersTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Theory]
    [InlineData("/", true, HttpStatusCode.OK)]
    [InlineData("/no-such-page", true, HttpStatusCode.NotFound)]
    [InlineData("/health/live", false, HttpStatusCode.OK)]
    [InlineData("/account/login", false, HttpStatusCode.OK)]
    [InlineData("/audit", false, HttpStatusCode.Redirect)]
    public async Task Every_response_carries_the_security_headers(string path, bool signedIn, HttpStatusCode status)
    {
        var client = factory.CreateBrowserLikeClient();
        if (signedIn)
        {
            var email = $"headers-{Guid.NewGuid():N}@test.local";
            await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
            await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        }

        var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("0", Header(response, "X-XSS-Protection"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"));
        Assert.Contains("geolocation=()", Header(response, "Permissions-Policy"));
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }

    [Fact]
    public async Task Every_response_carries_a_correlation_id_and_a_client_sent_one_is_not_echoed()
    {
        var client = factory.CreateBrowserLikeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", "injected-id");

        var response = await client.SendAsync(request);

        var id = Header(response, "X-Correlation-Id");
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    private static string Header(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values), $"{name} is missing on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode}).");
        return string.Join(",", values);
    }
}
