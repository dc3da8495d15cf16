using System.Net;
using Kuroco.Admin;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace Kuroco.Tests.Integration.Security;

/// <summary>Who reaches what: anonymous users are sent to sign-in, the job dashboard is for Administrators and Operators.</summary>
public sealed class AccessTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/audit")]
    [InlineData("/settings/staff")]
    [InlineData("/security")]
    [InlineData("/content")]
    [InlineData("/audit?page=2")]
    public async Task Anonymous_console_pages_redirect_to_sign_in_with_a_local_return_url(string path)
    {
        var client = factory.CreateBrowserLikeClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("http://localhost"), response.Headers.Location!);
        Assert.Equal("localhost", location.Host);
        Assert.Equal("/account/login", location.AbsolutePath);
        var returnUrl = QueryHelpers.ParseQuery(location.Query)
            .Single(q => string.Equals(q.Key, "returnUrl", StringComparison.OrdinalIgnoreCase)).Value.ToString();
        Assert.Equal(path, returnUrl);
        Assert.True(LocalUrl.IsLocal(returnUrl));
    }

    [Theory]
    [InlineData("/admin/jobs")]
    [InlineData("/admin/jobs/recurring")]
    public async Task Anonymous_job_dashboard_redirects_to_sign_in(string path)
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?", KurocoAppFactory.LocationPath(response));
    }

    [Theory]
    [InlineData("/admin/jobs")]
    [InlineData("/admin/jobs/recurring")]
    [InlineData("/admin/jobs/stats")]
    public async Task A_content_editor_is_forbidden_the_job_dashboard(string path)
    {
        var client = await SignedInAsync("editor-jobs", StaffRoles.ContentEditor);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Kuroco jobs", body);
        Assert.Contains("Access denied", body);
    }

    [Fact]
    public async Task Administrators_open_the_job_dashboard_and_the_jobs_screen()
    {
        var client = await SignedInAsync("jobs", StaffRoles.Administrator);

        var response = await client.GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Kuroco jobs", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task Operators_use_the_jobs_screen_and_not_the_hangfire_dashboard()
    {
        var client = await SignedInAsync("jobs-operator", StaffRoles.Operator);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/jobs")).StatusCode);
        var dashboard = await client.GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.DoesNotContain("Kuroco jobs", await dashboard.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await SignedInAsync("jobs-editor", StaffRoles.ContentEditor)).GetAsync("/jobs")).StatusCode);
    }

    [Theory]
    [InlineData(403, "Access denied")]
    [InlineData(404, "Page not found")]
    public async Task An_error_page_asked_for_directly_answers_with_its_status(int code, string heading)
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync($"/error/{code}");
        Assert.Equal(code, (int)response.StatusCode);
        Assert.Contains(heading, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_signed_in_user_gets_a_404_page_for_an_unknown_path()
    {
        var client = await SignedInAsync("editor-404", StaffRoles.ContentEditor);

        var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_refused_post_keeps_its_status_instead_of_failing_antiforgery_on_the_status_page()
    {
        var client = await SignedInAsync("editor-post-404", StaffRoles.ContentEditor);

        var response = await client.PostAsync("/no-such-page", new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "y" }));

        // Routing answers 405 (pages are read with GET); re-executing the status page as a POST made it a 400.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.DoesNotContain("antiforgery", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/no-such-thing")]
    [InlineData("/health/no-such-check")]
    public async Task Api_paths_get_problem_details_instead_of_the_status_page(string path)
    {
        var client = await SignedInAsync("editor-api", StaffRoles.ContentEditor);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":404", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anonymous_api_calls_get_401_problem_details_not_a_redirect()
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync("/api/anything");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpClient> SignedInAsync(string name, string role)
    {
        var email = $"{name}-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }
}
