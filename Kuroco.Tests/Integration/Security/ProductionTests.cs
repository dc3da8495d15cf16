using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Security;

/// <summary>
/// The app in the Production environment, reached over HTTPS at a real host name (HSTS is never sent
/// to localhost). A failing audit store during sign-in stands for any unexpected exception.
/// </summary>
public sealed class ProductionTests(ProductionTests.ProductionAppFactory factory) : IClassFixture<ProductionTests.ProductionAppFactory>
{
    private const string Host = "https://admin.kuroco.test";
    private const string SecretDetail = "SECRET-DETAIL-4711";

    public sealed class ProductionAppFactory : KurocoAppFactory
    {
        public ProductionAppFactory()
        {
            EnvironmentName = "Production";
            Settings["https_port"] = "443";
            TestServices = services =>
            {
                services.AddScoped<AuditLog>();
                services.AddScoped<IAuditLog>(sp => new FailingSignInAudit(sp.GetRequiredService<AuditLog>()));
            };
        }
    }

    [Fact]
    public async Task An_unexpected_error_shows_the_error_page_without_exception_details()
    {
        var client = factory.CreateBrowserLikeClient(Host);

        var response = await KurocoAppFactory.PostLoginAsync(client, "nobody@test.local", "wrong-password");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", body);
        Assert.DoesNotContain(SecretDetail, body);
        Assert.DoesNotContain(nameof(InvalidOperationException), body);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain(".cs:line", body);
        Assert.True(response.Headers.Contains("X-Frame-Options"), "The error page lacks the security headers.");
    }

    [Fact]
    public async Task The_error_page_itself_shows_only_a_reference()
    {
        var response = await factory.CreateBrowserLikeClient(Host).GetAsync("/error");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", body);
        Assert.Matches("<code>[0-9a-f]{32}</code>", body);
    }

    [Fact]
    public async Task Https_responses_carry_HSTS_for_a_year_with_subdomains()
    {
        var response = await factory.CreateBrowserLikeClient(Host).GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hsts = Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
        Assert.Contains("max-age=31536000", hsts);
        Assert.Contains("includeSubDomains", hsts);
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https()
    {
        var response = await factory.CreateBrowserLikeClient("http://admin.kuroco.test").GetAsync("/account/login");

        Assert.True(response.StatusCode is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect or HttpStatusCode.Redirect, response.StatusCode.ToString());
        Assert.Equal("https://admin.kuroco.test/account/login", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Cookies_are_secure_in_production()
    {
        var email = $"prod-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient(Host);

        var form = await client.GetAsync("/account/login");
        var login = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var auth = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Kuroco.Auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        var antiforgery = Assert.Single(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Kuroco.Antiforgery=", StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The real audit log, except that recording a failed sign-in fails.</summary>
    private sealed class FailingSignInAudit(IAuditLog inner) : IAuditLog
    {
        public Task<AuditEntry> WriteAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
            record.Action == AuditActions.SignInFailed
                ? throw new InvalidOperationException("Simulated audit store failure: " + SecretDetail)
                : inner.WriteAsync(record, cancellationToken);
    }
}
