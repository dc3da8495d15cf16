using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Kuroco.Admin.Localization;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Account;

/// <summary>The account pages' labels (which the browser tests and screen readers rely on) and their language.</summary>
public sealed class AccountPagesTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task The_sign_in_form_labels_its_fields_and_button()
    {
        var page = await ParseAsync(factory.CreateBrowserLikeClient(), "/account/login");

        AssertLabelled(page, "Email", "email");
        AssertLabelled(page, "Password", "password");
        AssertLabelled(page, "Remember me", "checkbox");
        Assert.Equal("Sign in", SubmitButton(page));
        Assert.Equal("Sign in", page.QuerySelector("h1")?.TextContent.Trim());
    }

    [Fact]
    public async Task The_change_password_form_labels_its_fields_and_button()
    {
        var email = $"labels-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        var page = await ParseAsync(client, "/account/change-password");

        AssertLabelled(page, "Current password", "password");
        AssertLabelled(page, "New password", "password");
        AssertLabelled(page, "Confirm new password", "password");
        Assert.Equal("Change password", SubmitButton(page));
    }

    [Fact]
    public async Task Accept_language_ja_JP_renders_the_sign_in_page_in_japanese()
    {
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja-JP,ja;q=0.9,en;q=0.5");

        var page = await ParseAsync(client, "/account/login");

        Assert.Equal("ja", page.DocumentElement.GetAttribute("lang"));
        AssertLabelled(page, "メールアドレス", "email");
        AssertLabelled(page, "パスワード", "password");
        Assert.Equal("ログイン", SubmitButton(page));
    }

    [Theory]
    [InlineData("en", "ja-JP", "Sign in", "en")]
    [InlineData("ja-JP", "en-US", "ログイン", "ja")]
    public async Task The_culture_cookie_overrides_accept_language(string chosen, string browser, string button, string lang)
    {
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(browser);
        var switched = await client.GetAsync($"/culture/set?culture={chosen}&returnUrl=%2Faccount%2Flogin");
        Assert.Contains(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SupportedCultures.CookieName + "=", StringComparison.Ordinal));

        var page = await ParseAsync(client, "/account/login");

        Assert.Equal(lang, page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(button, SubmitButton(page));
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("ja,en-US;q=0.9,en;q=0.8")]
    [InlineData("fr-FR,ja;q=0.8,en;q=0.5")]
    [InlineData("en;q=0.4,ja;q=0.9")]
    public async Task A_japanese_browser_gets_japanese_whatever_its_region_and_order(string header)
    {
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", header);

        var page = await ParseAsync(client, "/account/login");

        Assert.Equal("ja", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("ログイン", SubmitButton(page));
    }

    [Theory]
    [InlineData("en-GB,ja;q=0.5")]
    [InlineData("ja;q=0,en")]
    public async Task An_english_preference_first_gets_english(string header)
    {
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", header);

        var page = await ParseAsync(client, "/account/login");

        Assert.Equal("Sign in", SubmitButton(page));
    }

    [Fact]
    public async Task An_unsupported_accept_language_falls_back_to_english()
    {
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR");

        var page = await ParseAsync(client, "/account/login");

        Assert.Equal("Sign in", SubmitButton(page));
    }

    private static async Task<IDocument> ParseAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return new HtmlParser().ParseDocument(html);
    }

    /// <summary>A label with exactly this text points (for=) at an input of the given type.</summary>
    private static void AssertLabelled(IDocument page, string text, string inputType)
    {
        var label = Assert.Single(page.QuerySelectorAll("label"), l => l.TextContent.Trim() == text);
        var target = label.GetAttribute("for");
        Assert.False(string.IsNullOrEmpty(target), $"Label '{text}' has no for attribute.");
        var input = page.GetElementById(target!);
        Assert.True(input is not null, $"Label '{text}' points at #{target}, which does not exist.");
        Assert.Equal("input", input.LocalName);
        Assert.Equal(inputType, input.GetAttribute("type"));
    }

    private static string SubmitButton(IDocument page) =>
        // The passkey button (sign-in page) is a second, separate way in, not the form's submit button.
        Assert.Single(page.QuerySelectorAll("form button[type=submit]:not([name=__passkeySubmit])")).TextContent.Trim();
}
