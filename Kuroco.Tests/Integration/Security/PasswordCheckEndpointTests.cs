using System.Net;
using System.Net.Http.Json;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Security;

/// <summary>POST /account/password-check: the change-password page's strength meter.</summary>
public sealed class PasswordCheckEndpointTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private sealed record Violation(string Code, string Message);

    private sealed record Result(int Score, List<Violation> Violations);

    private async Task<(HttpClient Client, string Token)> SignedInAsync(string? language = null)
    {
        var email = $"meter-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        var page = await client.GetStringAsync("/account/change-password");
        Assert.Contains("js/password-strength.js", page);
        Assert.DoesNotContain("suppress-error", page);
        return (client, KurocoAppFactory.AntiforgeryToken(page));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string password, string? token) =>
        client.PostAsync("/account/password-check", new FormUrlEncodedContent(token is null
            ? new Dictionary<string, string> { ["password"] = password }
            : new Dictionary<string, string> { ["password"] = password, ["__RequestVerificationToken"] = token }));

    [Fact]
    public async Task Returns_the_score_and_the_broken_rules()
    {
        var (client, token) = await SignedInAsync();

        var response = await PostAsync(client, "password", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var result = (await response.Content.ReadFromJsonAsync<Result>())!;
        Assert.Equal(0, result.Score);
        Assert.Contains(result.Violations, v => v.Code == PasswordRules.Codes.Common && v.Message == "This password is on the list of commonly used passwords.");
        Assert.Contains(result.Violations, v => v.Code == PasswordRules.Codes.TooShort);

        var strong = (await (await PostAsync(client, "Orbit-Maple-93!dew", token)).Content.ReadFromJsonAsync<Result>())!;
        Assert.Equal(4, strong.Score);
        Assert.Empty(strong.Violations);
    }

    [Fact]
    public async Task Answers_in_the_request_culture()
    {
        var (client, token) = await SignedInAsync("ja-JP,ja;q=0.9,en;q=0.5");

        var result = (await (await PostAsync(client, "short", token)).Content.ReadFromJsonAsync<Result>())!;

        Assert.True(result.Violations.Any(v => v.Message == "パスワードは12文字以上にしてください。"), string.Join(" / ", result.Violations.Select(v => v.Message)));
    }

    [Fact]
    public async Task Refuses_a_post_without_the_antiforgery_token()
    {
        var (client, _) = await SignedInAsync();
        var response = await PostAsync(client, "password", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_anonymous_callers()
    {
        var client = factory.CreateBrowserLikeClient();
        var page = await client.GetStringAsync("/account/login");
        var response = await PostAsync(client, "password", KurocoAppFactory.AntiforgeryToken(page));
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.BadRequest, response.StatusCode.ToString());
        Assert.DoesNotContain("violations", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
