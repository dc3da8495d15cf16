using System.Net;
using System.Text;
using System.Text.Json;
using Kuroco.Admin.Api;
using Kuroco.Core.Api;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Api;

/// <summary>The ApiKey scheme through the real pipeline: both header forms, every refusal, scopes, audit and storage.</summary>
public sealed class ApiKeyAuthenticationTests(ApiKeyAuthenticationTests.Factory factory) : IClassFixture<ApiKeyAuthenticationTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        public Factory()
        {
            Settings["Kuroco:Api:CorsOrigins:0"] = "https://www.example.com";
            TestServices = services =>
            {
                TestPeerAddress.Register(services);
                // Test-only endpoints that exercise the scope helper and the 500 handler, as content endpoints do.
                services.AddSingleton<IStartupFilter, TestEndpoints>();
            };
        }
    }

    /// <summary>
    /// Endpoints under /api/v1/test with the /api/v1 group's key requirement. Matched by a routing step ahead of the
    /// app's pipeline, they then go through all of it (API error handling, rate limits, authentication, authorization)
    /// and run at the app's own endpoint step: the app's routing keeps an endpoint that is already chosen.
    /// </summary>
    private sealed class TestEndpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRouting();
            next(app);
            app.UseEndpoints(endpoints =>
            {
                var group = endpoints.MapGroup(ApiPaths.V1 + "/test").RequireAuthorization(ApiKeyDefaults.Policy);
                group.MapGet("/types/{type}", (string type) => TypedResults.Ok(type)).RequireApiScope("type", ApiAccess.Read);
                group.MapPost("/types/{type}", (string type) => TypedResults.Ok(type)).RequireApiScope("type", ApiAccess.Write);
                group.MapGet("/boom", IResult () => throw new InvalidOperationException("secret internals"));
                group.MapGet("/bad", () => ApiProblems.BadParameter("limit", "limit must be between 1 and 100."));
            });
        };
    }

    private HttpClient Client() => factory.CreateClient();

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
        return json;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_valid_key_in_either_header_form_reaches_me_and_the_secret_is_never_returned(bool bearer)
    {
        var (key, secret) = await factory.CreateKeyAsync("Website " + bearer, ApiAccess.Read, ["news", "products"], DateTime.UtcNow.AddDays(30));
        using var client = Client();
        var response = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", secret, bearer));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(key.Id, json.GetProperty("id").GetGuid());
        Assert.Equal("Website " + bearer, json.GetProperty("name").GetString());
        Assert.Equal(["news", "products"], json.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("read", json.GetProperty("access").GetString());
        Assert.True(json.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.True(response.Headers.Contains("X-RateLimit-Limit"));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("kk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false)]
    [InlineData("kk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true)]
    [InlineData("not-a-key", true)]
    public async Task A_missing_or_unknown_key_gets_401_problem_with_www_authenticate(string? presented, bool bearer)
    {
        using var client = Client();
        var response = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", presented, bearer));
        var json = await ProblemAsync(response, 401);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
        Assert.Equal("/api/v1/me", json.GetProperty("instance").GetString());
        Assert.True(json.TryGetProperty("traceId", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_expired_key_gets_401(bool bearer)
    {
        var (key, secret) = await factory.CreateKeyAsync("Expiring " + bearer, expiresAtUtc: DateTime.UtcNow.AddDays(1));
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1)));
        });
        using var client = Client();
        var response = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", secret, bearer));
        await ProblemAsync(response, 401);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Parameter?.Contains("invalid_token", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_revoked_key_gets_401_at_once_even_after_it_was_cached(bool bearer)
    {
        var (key, secret) = await factory.CreateKeyAsync("Revoked " + bearer);
        using var client = Client();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiTestKeys.Get("/api/v1/me", secret, bearer))).StatusCode);
        var before = (await factory.AuditEntriesAsync()).Count;
        var revoked = await factory.WithScopeAsync(sp => sp.GetRequiredService<IApiKeyService>().RevokeAsync(key.Id));
        Assert.True(revoked.Succeeded);
        await ProblemAsync(await client.SendAsync(ApiTestKeys.Get("/api/v1/me", secret, bearer)), 401);

        var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before), e => e.Action == AuditActions.ApiKeyRevoked);
        Assert.Equal(key.Id.ToString("D"), entry.EntityId);
        Assert.DoesNotContain(secret, AuditText.English(entry) + entry.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_refusals_have_their_kind_invalid_name_unknown_key_and_revoking_twice()
    {
        var invalid = await factory.WithScopeAsync(sp => sp.GetRequiredService<IApiKeyService>().CreateAsync(new CreateApiKeyRequest { Name = " " }));
        Assert.Equal(ErrorKind.Validation, invalid.Error);
        Assert.Contains(invalid.FieldErrors, e => e.Field == nameof(CreateApiKeyRequest.Name));

        var (key, _) = await factory.CreateKeyAsync("Revoked twice");
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IApiKeyService>().RevokeAsync(key.Id))).Succeeded);
        Assert.Equal(ErrorKind.Conflict, (await factory.WithScopeAsync(sp => sp.GetRequiredService<IApiKeyService>().RevokeAsync(key.Id))).Error);
        Assert.Equal(ErrorKind.NotFound, (await factory.WithScopeAsync(sp => sp.GetRequiredService<IApiKeyService>().RevokeAsync(Guid.NewGuid()))).Error);
    }

    [Fact]
    public async Task Creating_a_key_is_audited_without_the_secret_and_only_its_hash_is_stored()
    {
        var before = (await factory.AuditEntriesAsync()).Count;
        var (key, secret) = await factory.CreateKeyAsync("Stored", ApiAccess.Write, ["news"]);
        Assert.StartsWith("kk_", secret, StringComparison.Ordinal);
        Assert.Equal(46, secret.Length);

        var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before), e => e.Action == AuditActions.ApiKeyCreated);
        Assert.Equal(key.Id.ToString("D"), entry.EntityId);
        Assert.Contains("Stored", AuditText.English(entry), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, AuditText.English(entry) + entry.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[ApiKeySecret.PrefixLength..], AuditText.English(entry) + entry.Changes, StringComparison.Ordinal);

        // Nowhere in the database file: only the SHA-256 and the 11-character prefix.
        var row = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Id));
        Assert.Equal(ApiKeySecret.Hash(secret), row.SecretHash);
        Assert.Equal(secret[..ApiKeySecret.PrefixLength], row.Prefix);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(factory.DataPath, "kuroco.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var content = await reader.ReadToEndAsync();
            Assert.DoesNotContain(secret, content, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[ApiKeySecret.PrefixLength..], content, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_scope_helper_answers_403_for_a_type_the_key_lacks_and_for_a_write_with_a_read_key()
    {
        var (_, reader) = await factory.CreateKeyAsync("News reader", ApiAccess.Read, ["news"]);
        var (_, writer) = await factory.CreateKeyAsync("Everything writer", ApiAccess.Write);
        using var client = Client();

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiTestKeys.Get("/api/v1/test/types/news", reader))).StatusCode);
        var json = await ProblemAsync(await client.SendAsync(ApiTestKeys.Get("/api/v1/test/types/products", reader)), 403);
        Assert.Contains("products", json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var write = new HttpRequestMessage(HttpMethod.Post, "/api/v1/test/types/news");
        write.Headers.Add("X-API-Key", reader);
        await ProblemAsync(await client.SendAsync(write), 403);

        using var allowed = new HttpRequestMessage(HttpMethod.Post, "/api/v1/test/types/products");
        allowed.Headers.Add("X-API-Key", writer);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(allowed)).StatusCode);
    }

    [Fact]
    public async Task The_console_cookie_does_not_authenticate_the_api()
    {
        using var browser = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(browser, KurocoAppFactory.AdminEmail, KurocoAppFactory.AdminPassword, "Changed-Passw0rd!Api");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings/api-keys")).StatusCode);
        var response = await browser.GetAsync("/api/v1/me");
        await ProblemAsync(response, 401);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Api_errors_are_problem_details_without_internals()
    {
        var (_, secret) = await factory.CreateKeyAsync("Errors");
        using var client = Client();

        var bad = await ProblemAsync(await client.SendAsync(ApiTestKeys.Get("/api/v1/test/bad", secret)), 400);
        Assert.Equal("limit", bad.GetProperty("parameter").GetString());

        await ProblemAsync(await client.SendAsync(ApiTestKeys.Get("/api/v1/no-such-thing", secret)), 404);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me");
        delete.Headers.Add("X-API-Key", secret);
        await ProblemAsync(await client.SendAsync(delete), 405);

        var boom = await client.SendAsync(ApiTestKeys.Get("/api/v1/test/boom", secret));
        var body = await boom.Content.ReadAsStringAsync();
        await ProblemAsync(boom, 500);
        Assert.DoesNotContain("secret internals", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_preflight_is_allowed_for_a_listed_origin_only_and_never_with_credentials()
    {
        using var client = Client();
        using var allowed = new HttpRequestMessage(HttpMethod.Options, "/api/v1/me");
        allowed.Headers.Add("Origin", "https://www.example.com");
        allowed.Headers.Add("Access-Control-Request-Method", "GET");
        allowed.Headers.Add("Access-Control-Request-Headers", "x-api-key");
        var ok = await client.SendAsync(allowed);
        Assert.True(ok.IsSuccessStatusCode, ok.StatusCode.ToString());
        Assert.Equal("https://www.example.com", Assert.Single(ok.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("x-api-key", string.Join(",", ok.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.False(ok.Headers.Contains("Access-Control-Allow-Credentials"));

        using var refused = new HttpRequestMessage(HttpMethod.Options, "/api/v1/me");
        refused.Headers.Add("Origin", "https://evil.example.net");
        refused.Headers.Add("Access-Control-Request-Method", "GET");
        var no = await client.SendAsync(refused);
        Assert.False(no.Headers.Contains("Access-Control-Allow-Origin"));

        // An actual cross-origin call exposes the rate-limit headers and ETag to the script.
        var (_, secret) = await factory.CreateKeyAsync("Cors");
        using var get = ApiTestKeys.Get("/api/v1/me", secret);
        get.Headers.Add("Origin", "https://www.example.com");
        var response = await client.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("X-RateLimit-Remaining", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ETag", exposed, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api/openapi/v1.json")]
    public async Task The_openapi_document_is_anonymous_json_listing_me_and_the_key_scheme(string path)
    {
        using var client = Client();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(json.GetProperty("paths").TryGetProperty("/api/v1/me", out var me));
        Assert.True(me.TryGetProperty("get", out var get));
        Assert.True(get.TryGetProperty("security", out _));
        var scheme = json.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("X-API-Key", scheme.GetProperty("name").GetString());
        Assert.False(json.GetProperty("paths").TryGetProperty("/account/logout", out _));
        Assert.False(json.GetProperty("paths").TryGetProperty("/api/openapi/{documentName}.json", out _));
    }

    [Fact]
    public async Task The_api_reference_page_is_anonymous_and_loads_no_script_from_elsewhere()
    {
        using var client = Client();
        var response = await client.GetAsync(ApiOpenApi.ReferencePath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fonts.scalar.com", html, StringComparison.OrdinalIgnoreCase);
    }
}
