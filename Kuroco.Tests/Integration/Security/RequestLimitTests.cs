using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using AdminSetup = Kuroco.Admin.DependencyInjection;

namespace Kuroco.Tests.Integration.Security;

/// <summary>The request body limit is Kestrel's: these tests talk to the app over a real socket.</summary>
public sealed class RequestLimitTests(RequestLimitTests.KestrelAppFactory factory) : IClassFixture<RequestLimitTests.KestrelAppFactory>
{
    public sealed class KestrelAppFactory : KurocoAppFactory
    {
        private Uri? baseAddress;

        public Uri BaseAddress => baseAddress ??= StartKestrel();
    }

    private HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = factory.BaseAddress,
    };

    [Fact]
    public async Task An_oversized_sign_in_post_gets_413_and_signs_nobody_in()
    {
        using var client = Client();
        var email = $"limit-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var form = await client.GetStringAsync("/account/login");
        var auditBefore = (await factory.AuditEntriesAsync()).Count;

        // A valid sign-in, padded past the limit with fields each under the form's 1 MiB value limit.
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = KurocoAppFactory.AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = KurocoAppFactory.StaffPassword,
        };
        for (var i = 0; i <= AdminSetup.MaxRequestBodyBytes / 1_000_000; i++)
        {
            fields["padding" + i] = new string('x', 1_000_000);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = new FormUrlEncodedContent(fields) };
        // The client waits for the server's go-ahead (100-continue) before sending the body: the refusal
        // arrives instead, and not a byte of the body is read.
        request.Headers.ExpectContinue = true;
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("Kuroco.Auth", StringComparison.Ordinal)));
        Assert.DoesNotContain((await factory.AuditEntriesAsync()).Skip(auditBefore), e => e.Action == AuditActions.SignInSucceeded);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read()
    {
        using var client = Client();
        var form = await client.GetStringAsync("/account/login");
        var token = KurocoAppFactory.AntiforgeryToken(form);
        // Under the total limit; the form's own value limit (1 MiB) still applies to each field.
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = "nobody@test.local",
            ["Input.Password"] = "wrong",
        };
        for (var i = 0; i < 3; i++)
        {
            fields["padding" + i] = new string('x', 1000 * 1000);
        }

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid email or password.", await response.Content.ReadAsStringAsync());
    }
}
