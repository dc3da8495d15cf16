using System.Net;
using System.Text.Json;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Health;

public sealed class HealthTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_anonymously_with_healthy_json(string path)
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_checks_the_database_and_the_job_storage_and_names_only_their_states()
    {
        var body = await factory.CreateBrowserLikeClient().GetStringAsync("/health/ready");

        using var json = JsonDocument.Parse(body);
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetString());
        Assert.Equal("Healthy", checks.GetProperty("jobs").GetString());
        Assert.DoesNotContain(factory.DataPath, body);
        Assert.DoesNotContain("Data Source", body);
    }

    [Fact]
    public async Task Liveness_runs_no_checks()
    {
        var body = await factory.CreateBrowserLikeClient().GetStringAsync("/health/live");

        using var json = JsonDocument.Parse(body);
        Assert.Empty(json.RootElement.GetProperty("checks").EnumerateObject());
    }
}
