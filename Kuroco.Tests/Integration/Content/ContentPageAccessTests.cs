using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Content;

/// <summary>The content screens are for ContentEditors and Administrators only; the server-rendered list encodes what editors typed.</summary>
public sealed class ContentPageAccessTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    public static TheoryData<string> Pages() => ["/content", "/content/types", "/content/types/new", "/content/trash", "/content/items/news", "/content/edit/" + Guid.NewGuid()];

    private async Task<HttpClient> SignedInAsync(params string[] roles)
    {
        var email = $"content-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, roles);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Anonymous_users_are_sent_to_sign_in(string path)
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(response));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Other_roles_are_forbidden(string path)
    {
        var client = await SignedInAsync(StaffRoles.Operator, StaffRoles.SecurityOfficer);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Editors_reach_the_pages_and_titles_are_encoded()
    {
        var type = await factory.CreateTypeAsync("access-" + Guid.NewGuid().ToString("N")[..8]);
        var item = await factory.CreateItemAsync(type, "xss-title", "<img src=x onerror=alert(1)>");
        var client = await SignedInAsync(StaffRoles.ContentEditor);

        var types = await client.GetAsync("/content/types");
        Assert.Equal(HttpStatusCode.OK, types.StatusCode);
        Assert.Contains(type.ApiId, await types.Content.ReadAsStringAsync());
        var editor = await client.GetAsync($"/content/edit/{item.Id}");
        Assert.Equal(HttpStatusCode.OK, editor.StatusCode);
        var html = await editor.Content.ReadAsStringAsync();
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html); // the page title and heading
        Assert.DoesNotContain("<img src=x", html);
    }
}
