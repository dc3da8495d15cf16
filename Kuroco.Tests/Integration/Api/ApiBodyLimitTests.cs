using System.Net;
using System.Text.Json;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Api;

/// <summary>413 on the API is problem details too, over a real socket (TestServer has no body-size limit).</summary>
public sealed class ApiBodyLimitTests(ApiBodyLimitTests.Factory factory) : IClassFixture<ApiBodyLimitTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        private Uri? baseAddress;

        public Uri BaseAddress => baseAddress ??= StartKestrel();
    }

    [Fact]
    public async Task An_oversized_api_request_gets_413_problem_details()
    {
        // Kestrel first, then the app's services. The client waits for the server's answer to 100-continue for as long as it
        // takes: with the default 1 s, a busy server's 413 came after the client had started the body, which then broke.
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var client = new HttpClient(handler) { BaseAddress = factory.BaseAddress };
        var (_, secret) = await factory.CreateKeyAsync("Uploader");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/me") { Content = new ByteArrayContent(new byte[5 * 1024 * 1024]) };
        request.Headers.Add("X-API-Key", secret);
        // The client waits for the server's go-ahead (100-continue): the refusal arrives instead of a broken upload.
        request.Headers.ExpectContinue = true;
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(413, json.GetProperty("status").GetInt32());
        Assert.Equal("/api/v1/me", json.GetProperty("instance").GetString());
    }
}
