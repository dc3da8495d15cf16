using System.Net;
using Kuroco.Admin.Localization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Staff;

/// <summary>
/// The staff language: chosen on the profile or with the language switch while signed in, kept on the account (audited
/// as a profile change), and set as the culture cookie at the next sign-in in any browser.
/// </summary>
public sealed class StaffLanguageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task A_new_account_has_no_choice_and_the_profile_change_is_audited_with_translated_label_and_value()
    {
        var id = await factory.CreateStaffAsync($"lang.{Guid.NewGuid():N}@test.local", StaffRoles.ContentEditor);
        Assert.Null((await ServiceAsync(s => s.GetAsync(id)))!.Language);
        // A profile save without a language keeps the account's (none).
        Assert.True((await ServiceAsync(s => s.UpdateProfileAsync(id, new UpdateProfileRequest { DisplayName = "Lang Tester", TimeZoneId = "Asia/Tokyo" }))).Succeeded);
        Assert.Null((await ServiceAsync(s => s.GetAsync(id)))!.Language);

        var saved = await ServiceAsync(s => s.UpdateProfileAsync(id, new UpdateProfileRequest
        {
            DisplayName = "Lang Tester",
            TimeZoneId = "Asia/Tokyo",
            Language = StaffLanguages.Japanese,
        }));

        Assert.True(saved.Succeeded, saved.Message);
        Assert.Equal(StaffLanguages.Japanese, (await ServiceAsync(s => s.GetAsync(id)))!.Language);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.ProfileUpdated && e.EntityId == id);
        var change = Assert.Single(AuditChanges.Deserialize(entry.Changes), c => c.Field == "Language");
        Assert.Equal(new FieldChange("Language", null, StaffLanguages.Japanese), change);
        using (new CultureScope("en"))
        {
            Assert.Equal("Language", AuditText.Renderer().FieldLabel("Language"));
            Assert.Equal("Japanese", AuditText.Renderer().Value("Language", StaffLanguages.Japanese));
        }
        using (new CultureScope("ja"))
        {
            Assert.Equal("言語", AuditText.Renderer().FieldLabel("Language"));
            Assert.Equal("英語", AuditText.Renderer().Value("Language", StaffLanguages.English));
        }
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("")]
    [InlineData("ja")]
    public async Task A_language_the_console_does_not_offer_is_refused_and_changes_nothing(string language)
    {
        var id = await factory.CreateStaffAsync($"lang.{Guid.NewGuid():N}@test.local", StaffRoles.ContentEditor);
        var entries = (await factory.AuditEntriesAsync()).Count;

        var profile = await ServiceAsync(s => s.UpdateProfileAsync(id, new UpdateProfileRequest { DisplayName = "Other name", TimeZoneId = "UTC", Language = language }));
        var switched = await ServiceAsync(s => s.SetLanguageAsync(id, language));

        Assert.Equal(ErrorKind.Validation, profile.Error);
        Assert.Equal(nameof(UpdateProfileRequest.Language), Assert.Single(profile.FieldErrors).Field);
        Assert.Equal(ErrorKind.Validation, switched.Error);
        var after = (await ServiceAsync(s => s.GetAsync(id)))!;
        Assert.Null(after.Language);
        Assert.NotEqual("Other name", after.DisplayName);
        Assert.Equal(entries, (await factory.AuditEntriesAsync()).Count);
    }

    [Fact]
    public async Task Switching_language_while_signed_in_keeps_it_and_the_next_sign_in_elsewhere_sets_the_culture()
    {
        var email = $"lang.{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var first = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(first, email, KurocoAppFactory.StaffPassword);

        var switched = await first.GetAsync("/culture/set?culture=ja-JP&returnUrl=%2Faccount%2Fprofile");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(StaffLanguages.Japanese, await LanguageAsync(id));
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.ProfileUpdated && e.EntityId == id);
        Assert.Equal(new FieldChange("Language", null, StaffLanguages.Japanese), Assert.Single(AuditChanges.Deserialize(entry.Changes)));
        // Switching to the language already kept writes nothing.
        var entries = (await factory.AuditEntriesAsync()).Count;
        await first.GetAsync("/culture/set?culture=ja-JP&returnUrl=%2F");
        Assert.Equal(entries, (await factory.AuditEntriesAsync()).Count);

        // Another browser, English by its Accept-Language: signing in switches it to the account's Japanese.
        var second = factory.CreateBrowserLikeClient();
        second.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var signedIn = await KurocoAppFactory.PostLoginAsync(second, email, KurocoAppFactory.StaffPassword);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith(SupportedCultures.CookieName + "=c%3Dja-JP%7Cuic%3Dja-JP", StringComparison.Ordinal));
        var profile = await second.GetStringAsync("/account/profile");
        Assert.Contains("<html lang=\"ja\"", profile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_with_no_choice_follows_the_browser_at_sign_in()
    {
        var email = $"lang.{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja");

        var signedIn = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.DoesNotContain(signedIn.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith(SupportedCultures.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("<html lang=\"ja\"", await client.GetStringAsync("/account/profile"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_switch_changes_no_account()
    {
        var entries = (await factory.AuditEntriesAsync()).Count;
        var client = factory.CreateBrowserLikeClient();

        var switched = await client.GetAsync("/culture/set?culture=ja-JP&returnUrl=%2Faccount%2Flogin");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(entries, (await factory.AuditEntriesAsync()).Count);
    }

    private Task<T> ServiceAsync<T>(Func<IStaffService, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IStaffService>()));

    private Task<string?> LanguageAsync(string id) => factory.WithScopeAsync(async sp =>
        (await sp.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(id))!.Language);
}
