using System.Net;
using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Security;

/// <summary>
/// Redirect targets with Japanese (non-ASCII) characters: a Location header carries ASCII only, so each one is sent
/// percent-encoded as UTF-8 (it answered 500 before), and following it lands where the link pointed. Over a real
/// socket: the in-memory test server accepts a raw Japanese Location header that Kestrel refuses.
/// </summary>
public sealed class RedirectEncodingTests(KestrelAppFactory factory) : IClassFixture<KestrelAppFactory>
{
    private const string NewsSearch = "/content/items/news?q=お茶";
    private const string NewsSearchEncoded = "/content/items/news?q=%E3%81%8A%E8%8C%B6";

    private async Task<string> EditorAsync()
    {
        var email = $"redirect-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        return email;
    }

    private Task EnsureNewsTypeAsync() => factory.WithScopeAsync(async sp =>
    {
        var types = sp.GetRequiredService<IContentTypeService>();
        if (await types.FindByApiIdAsync("news") is null)
        {
            var saved = await types.SaveAsync(new ContentType
            {
                Name = "News",
                ApiId = "news",
                Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText }],
            });
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        }
    });

    [Fact]
    public async Task Signing_in_with_a_japanese_return_url_redirects_to_it_encoded()
    {
        var email = await EditorAsync();
        using var client = factory.CreateSocketClient();

        var response = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword, returnUrl: "/日本");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/%E6%97%A5%E6%9C%AC", KurocoAppFactory.LocationPath(response));
        // Followed, it asks for the path the link named: no such page, so the status page answers 404 (not 500).
        var followed = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.NotFound, followed.StatusCode);
        Assert.Equal("/日本", Uri.UnescapeDataString(followed.RequestMessage!.RequestUri!.AbsolutePath));
    }

    [Fact]
    public async Task The_culture_switch_returns_to_a_japanese_path_encoded()
    {
        using var client = factory.CreateSocketClient();

        var response = await client.GetAsync("/culture/set?culture=ja-JP&returnUrl=/x%E5%98%8A%E5%98%8A");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/x%E5%98%8A%E5%98%8A", KurocoAppFactory.LocationPath(response));
        // Anonymous there, so the next hop is the sign-in page, which carries the same page as its return URL.
        var followed = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, followed.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Fx%25E5%2598%258A%25E5%2598%258A", KurocoAppFactory.LocationPath(followed));
    }

    [Fact]
    public async Task A_shared_link_with_a_japanese_query_survives_the_sign_in()
    {
        await EnsureNewsTypeAsync();
        var email = await EditorAsync();
        using var client = factory.CreateSocketClient();

        // Anonymous: sent to the sign-in page with the link as its return URL.
        var challenge = await client.GetAsync(NewsSearch);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var login = KurocoAppFactory.LocationPath(challenge);
        Assert.StartsWith("/account/login?", login);
        Assert.True(login.All(char.IsAscii));
        var returnUrl = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost"), login).Query)["ReturnUrl"];
        Assert.Equal(NewsSearchEncoded, returnUrl);

        var signedIn = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword, returnUrl: returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(NewsSearchEncoded, KurocoAppFactory.LocationPath(signedIn));

        var page = await client.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/content/items/news", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("?q=お茶", Uri.UnescapeDataString(page.RequestMessage.RequestUri.Query));
    }

    [Fact]
    public async Task The_sign_in_page_takes_the_unencoded_link_too()
    {
        var email = await EditorAsync();
        using var client = factory.CreateSocketClient();

        var signedIn = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword, returnUrl: NewsSearch);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(NewsSearchEncoded, KurocoAppFactory.LocationPath(signedIn));
    }
}
