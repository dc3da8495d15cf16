using Kuroco.Core.Api;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Api;

internal static class ApiTestKeys
{
    /// <summary>Creates a key through the console's service (as an Administrator would) and returns it with its secret.</summary>
    public static Task<(ApiKeySummary Key, string Secret)> CreateKeyAsync(this KurocoAppFactory factory, string name,
        ApiAccess access = ApiAccess.Read, string[]? types = null, DateTime? expiresAtUtc = null) =>
        factory.WithScopeAsync(async sp =>
        {
            var created = await sp.GetRequiredService<IApiKeyService>().CreateAsync(new CreateApiKeyRequest
            {
                Name = name,
                AllTypes = types is null,
                Types = types ?? [],
                Access = access,
                ExpiresAtUtc = expiresAtUtc,
            });
            Assert.True(created.TryGetValue(out var key), created.Message);
            return (key.Key, key.Secret);
        });

    public static HttpRequestMessage Get(string path, string? apiKey = null, bool bearer = false, string? peer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            if (bearer)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
            }
            else
            {
                request.Headers.Add("X-API-Key", apiKey);
            }
        }
        if (peer is not null)
        {
            request.Headers.Add(TestPeerAddress.HeaderName, peer);
        }
        return request;
    }
}
