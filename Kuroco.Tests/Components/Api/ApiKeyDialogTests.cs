using Bunit;
using Kuroco.Admin.Components.Pages.Api;
using Kuroco.Core.Api;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
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
    public async Task The_secret_dialog_shows_the_key_once_with_a_copy_button_and_a_warning()
    {
        await using var ctx = new ComponentTestContext(app);
        var secret = ApiKeySecret.Generate();
        var provider = await OpenAsync(ctx, new DialogParameters<ApiKeySecretDialog> { { d => d.Name, "Website" }, { d => d.Secret, secret } });

        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[data-testid=api-key-secret-dialog]")));
        Assert.Equal(secret, provider.Find("input[data-testid=api-key-secret]").GetAttribute("value"));
        Assert.Contains("shown only once", provider.Find("[data-testid=api-key-secret-warning]").TextContent, StringComparison.Ordinal);

        provider.Find("[data-testid=copy-api-key]").Click();
        Assert.Contains(ctx.Context.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && Equals(i.Arguments[0], secret));

        provider.Find("[data-testid=api-key-saved]").Click();
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid=api-key-secret-dialog]")));
        Assert.DoesNotContain(secret, provider.Markup, StringComparison.Ordinal);
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
        provider.Find("input[data-testid=api-key-all-types]").Change(false);
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("input[data-testid=api-key-types]")));
        provider.Find("input[data-testid=api-key-types]").Change("News!");
        provider.Find("[data-testid=create]").Click();

        provider.WaitForAssertion(() => Assert.Contains("API識別子", provider.Find("[data-testid=create-api-key-errors]").TextContent, StringComparison.Ordinal));
        Assert.Equal(before, await CountKeysAsync());
    }
}
