using Bunit;
using Kuroco.Admin.Components.Pages.Api;
using Kuroco.Core.Api;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Api;

/// <summary>The create dialog refuses bad input and changes nothing; a created key is shown once with a copy button.</summary>
public sealed class ApiKeyDialogTests(KurocoAppFactory app) : IClassFixture<KurocoAppFactory>
{
    private static async Task<IRenderedComponent<MudDialogProvider>> OpenAsync<TDialog>(ComponentTestContext ctx, DialogParameters<TDialog>? parameters = null)
        where TDialog : IComponent
    {
        var provider = ctx.Context.Render<MudDialogProvider>();
        var dialogs = ctx.Context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<TDialog>("", parameters ?? []));
        return provider;
    }

    private Task<int> CountKeysAsync() => app.WithScopeAsync(async sp => (await sp.GetRequiredService<IApiKeyService>().ListAsync()).Count);

    [Fact]
    public async Task The_secret_dialog_shows_the_key_once_and_closes_only_once_stored()
    {
        await using var ctx = new ComponentTestContext(app);
        var secret = ApiKeySecret.Generate();
        // The caller asks for a dialog that closes on a backdrop click or Escape: the dialog overrides that.
        var provider = ctx.Context.Render<MudDialogProvider>();
        var dialogs = ctx.Context.Services.GetRequiredService<IDialogService>();
        var reference = await provider.InvokeAsync(() => dialogs.ShowAsync<ApiKeySecretDialog>("",
            new DialogParameters<ApiKeySecretDialog> { { d => d.Name, "Website" }, { d => d.Secret, secret } },
            new DialogOptions { BackdropClick = true, CloseOnEscapeKey = true, CloseButton = true }));

        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[data-testid=api-key-secret-dialog]")));
        Assert.Equal(secret, provider.Find("input[data-testid=secret-value]").GetAttribute("value"));
        Assert.Contains("shown only once", provider.Find("[data-testid=secret-warning]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Website", provider.Find("[data-testid=secret-subject]").TextContent, StringComparison.Ordinal);
        Assert.Empty(provider.FindAll(".mud-dialog-title button"));
        Assert.True(provider.Find("[data-testid=secret-done]").HasAttribute("disabled"));
        IMudDialogInstance instance = provider.FindComponent<MudDialogContainer>().Instance;
        Assert.False(instance.Options.BackdropClick);
        Assert.False(instance.Options.CloseOnEscapeKey);
        Assert.False(instance.Options.CloseButton);

        provider.Find("[data-testid=secret-copy]").Click();
        Assert.Contains(ctx.Context.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && Equals(i.Arguments[0], secret));
        provider.WaitForAssertion(() => Assert.Equal("Copied to the clipboard.", provider.Find("[data-testid=secret-copied]").TextContent));
        Assert.Equal("Copied", provider.Find("[data-testid=secret-copy]").TextContent.Trim());

        provider.Find("[data-testid=secret-done]").Click();
        Assert.NotEmpty(provider.FindAll("[data-testid=api-key-secret-dialog]"));
        provider.Find("input[data-testid=secret-stored]").Change(true);
        provider.Find("[data-testid=secret-done]").Click();
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid=api-key-secret-dialog]")));
        Assert.False((await reference.Result)!.Canceled);
        Assert.DoesNotContain(secret, provider.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_clipboard_the_dialog_says_to_copy_by_hand_in_japanese()
    {
        await using var ctx = new ComponentTestContext(app, "ja-JP");
        ctx.Context.JSInterop.SetupVoid("navigator.clipboard.writeText", _ => true).SetException(new JSException("denied"));
        var provider = await OpenAsync(ctx, new DialogParameters<ApiKeySecretDialog> { { d => d.Name, "Webサイト" }, { d => d.Secret, ApiKeySecret.Generate() } });
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[data-testid=api-key-secret-dialog]")));
        Assert.Contains("安全な場所に保存しました", provider.Markup, StringComparison.Ordinal);

        provider.Find("[data-testid=secret-copy]").Click();

        provider.WaitForAssertion(() => Assert.Contains("手動でコピー", provider.Find("[data-testid=secret-copy-failed]").TextContent, StringComparison.Ordinal));
        Assert.Empty(provider.FindAll("[data-testid=secret-copied]"));
    }

    [Fact]
    public async Task The_create_dialog_shows_no_error_when_it_opens_and_has_no_scope_chosen()
    {
        await using var ctx = new ComponentTestContext(app);
        ctx.SignIn("admin-id", "admin@test.local", StaffRoles.Administrator);
        var before = await CountKeysAsync();
        var provider = await OpenAsync<CreateApiKeyDialog>(ctx);
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[data-testid=create-api-key-dialog]")));

        Assert.Empty(provider.FindAll(".mud-input-error"));
        Assert.Empty(provider.FindAll("[data-testid=create-api-key-errors]"));
        Assert.Empty(provider.FindAll("input[data-testid=api-key-types]"));

        provider.Find("input[data-testid=api-key-name]").Change("Website");
        provider.Find("[data-testid=create]").Click();

        provider.WaitForAssertion(() => Assert.Equal("Choose which content types the key may use: all of them, or only some.",
            provider.Find("[data-testid=api-key-scope-error]").TextContent));
        Assert.Equal(before, await CountKeysAsync());
    }

    [Fact]
    public async Task The_create_dialog_refuses_invalid_types_in_japanese_and_creates_nothing()
    {
        await using var ctx = new ComponentTestContext(app, "ja");
        ctx.SignIn("admin-id", "admin@test.local", StaffRoles.Administrator);
        var before = await CountKeysAsync();
        var provider = await OpenAsync<CreateApiKeyDialog>(ctx);

        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[data-testid=create-api-key-dialog]")));
        provider.Find("input[data-testid=api-key-name]").Change("Webサイト");
        ChooseScope(provider, "some");
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("input[data-testid=api-key-types]")));
        provider.Find("input[data-testid=api-key-types]").Change("News!");
        provider.Find("[data-testid=create]").Click();

        provider.WaitForAssertion(() => Assert.Contains("API識別子", provider.Find("[data-testid=create-api-key-errors]").TextContent, StringComparison.Ordinal));
        Assert.Equal(before, await CountKeysAsync());
    }

    [Fact]
    public async Task A_key_for_some_types_is_created_with_those_types()
    {
        await using var ctx = new ComponentTestContext(app);
        ctx.SignIn("admin-id", "admin@test.local", StaffRoles.Administrator);
        var provider = ctx.Context.Render<MudDialogProvider>();
        var dialogs = ctx.Context.Services.GetRequiredService<IDialogService>();
        var reference = await provider.InvokeAsync(() => dialogs.ShowAsync<CreateApiKeyDialog>(""));
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[data-testid=create-api-key-dialog]")));

        var name = $"Some types {Guid.NewGuid():N}";
        provider.Find("input[data-testid=api-key-name]").Change(name);
        ChooseScope(provider, "some");
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("input[data-testid=api-key-types]")));
        provider.Find("input[data-testid=api-key-types]").Change("news, products");
        provider.Find("[data-testid=create]").Click();

        var result = await reference.Result;
        var created = Assert.IsType<ApiKeyCreated>(result!.Data);
        Assert.Equal(name, created.Key!.Name);
        var listed = Assert.Single(await app.WithScopeAsync(sp => sp.GetRequiredService<IApiKeyService>().ListAsync()), k => k.Name == name);
        Assert.False(listed.AllTypes);
        Assert.Equal(["news", "products"], listed.Types.Order(StringComparer.Ordinal));
    }

    /// <summary>Picks "all" or "some" in the scope radio group.</summary>
    private static void ChooseScope(IRenderedComponent<MudDialogProvider> provider, string which) =>
        provider.Find($"input[data-testid=api-key-scope-{which}]").Click();
}
