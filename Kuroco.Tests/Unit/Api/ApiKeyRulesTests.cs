using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Kuroco.Admin.Api;
using Kuroco.Core.Api;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Unit.Api;

public sealed class ApiKeyRulesTests
{
    [Fact]
    public void A_generated_key_is_kk_and_32_random_bytes_in_base64url()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => ApiKeySecret.Generate()).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        foreach (var key in keys)
        {
            Assert.Matches("^kk_[A-Za-z0-9_-]{43}$", key);
            Assert.True(ApiKeySecret.IsWellFormed(key));
            Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(key.AsSpan(3)).Length);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("kk_short")]
    [InlineData("xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("kk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("kk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("kk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_keys_are_refused_before_any_lookup(string? key) => Assert.False(ApiKeySecret.IsWellFormed(key));

    [Fact]
    public void The_hash_is_sha256_of_the_whole_key_and_the_prefix_is_kk_and_eight_characters()
    {
        var key = ApiKeySecret.Generate();
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), ApiKeySecret.Hash(key));
        Assert.Equal(key[..11], ApiKeySecret.Prefix(key));
        Assert.True(ApiKeySecret.HashesEqual(ApiKeySecret.Hash(key), ApiKeySecret.Hash(key)));
        Assert.False(ApiKeySecret.HashesEqual(ApiKeySecret.Hash(key), ApiKeySecret.Hash(ApiKeySecret.Generate())));
    }

    [Fact]
    public void A_scope_allows_its_types_and_a_write_only_with_read_write_access()
    {
        var reader = new ApiKeyScope(Guid.NewGuid(), false, ["news", "products"], ApiAccess.Read);
        Assert.True(reader.Allows("news", ApiAccess.Read));
        Assert.True(reader.Allows("products", ApiAccess.Read));
        Assert.False(reader.Allows("events", ApiAccess.Read));
        Assert.False(reader.Allows("News", ApiAccess.Read));
        Assert.False(reader.Allows("news", ApiAccess.Write));
        Assert.False(reader.Allows("", ApiAccess.Read));

        var writer = new ApiKeyScope(Guid.NewGuid(), true, [], ApiAccess.Write);
        Assert.True(writer.Allows("anything", ApiAccess.Read));
        Assert.True(writer.Allows("anything", ApiAccess.Write));
    }

    [Fact]
    public void A_scope_round_trips_through_the_contract_claims()
    {
        var id = Guid.NewGuid();
        var scope = new ApiKeyScope(id, false, ["products", "news"], ApiAccess.Write);
        var claims = scope.ToClaims().ToList();
        Assert.Contains(claims, c => c.Type == "kuroco:api_key_id" && c.Value == id.ToString("D"));
        Assert.Equal(["news", "products"], claims.Where(c => c.Type == "kuroco:api_types").Select(c => c.Value));
        Assert.Contains(claims, c => c.Type == "kuroco:api_access" && c.Value == "read-write");

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyDefaults.Scheme));
        var read = principal.GetApiKeyScope()!;
        Assert.Equal(id, read.KeyId);
        Assert.Equal(["news", "products"], read.Types);
        Assert.Equal(ApiAccess.Write, read.Access);

        var all = new ClaimsPrincipal(new ClaimsIdentity(new ApiKeyScope(id, true, [], ApiAccess.Read).ToClaims(), ApiKeyDefaults.Scheme));
        Assert.Contains(all.Claims, c => c.Type == "kuroco:api_types" && c.Value == "*");
        Assert.True(all.GetApiKeyScope()!.Allows("whatever", ApiAccess.Read));
        Assert.Null(new ClaimsPrincipal(new ClaimsIdentity()).GetApiKeyScope());
    }

    [Fact]
    public void The_create_request_is_validated()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var validator = new CreateApiKeyRequestValidator(clock);
        Assert.True(validator.Validate(new CreateApiKeyRequest { Name = "Website" }).IsValid);
        Assert.True(validator.Validate(new CreateApiKeyRequest { Name = "Website", AllTypes = false, Types = ["news", "product-pages"] }).IsValid);

        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = "" }).IsValid);
        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = new string('a', 101) }).IsValid);
        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = "a\r\nX-Injected: 1" }).IsValid);
        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = "Website", AllTypes = false }).IsValid);
        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = "Website", AllTypes = false, Types = ["News"] }).IsValid);
        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = "Website", AllTypes = false, Types = ["n"] }).IsValid);
        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = "Website", AllTypes = false, Types = ["news'; drop table"] }).IsValid);
        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = "Website", Access = (ApiAccess)7 }).IsValid);
        Assert.False(validator.Validate(new CreateApiKeyRequest { Name = "Website", ExpiresAtUtc = clock.GetUtcNow().UtcDateTime.AddMinutes(-1) }).IsValid);
        Assert.True(validator.Validate(new CreateApiKeyRequest { Name = "Website", ExpiresAtUtc = clock.GetUtcNow().UtcDateTime.AddDays(1) }).IsValid);
    }

    [Theory]
    [InlineData("https://www.example.com", true, "https://www.example.com")]
    [InlineData("https://WWW.Example.com/", true, "https://www.example.com")]
    [InlineData("http://localhost:3000", true, "http://localhost:3000")]
    [InlineData("*", false, "")]
    [InlineData("https://*.example.com", false, "")]
    [InlineData("https://www.example.com/path", false, "")]
    [InlineData("https://user@www.example.com", false, "")]
    [InlineData("ftp://www.example.com", false, "")]
    [InlineData("www.example.com", false, "")]
    [InlineData("https://www.example.com?x=1", false, "")]
    public void Cors_origins_must_be_plain_http_origins(string value, bool valid, string normalized)
    {
        Assert.Equal(valid, ApiOptions.TryNormalizeOrigin(value, out var origin));
        Assert.Equal(normalized, origin);
    }
}
