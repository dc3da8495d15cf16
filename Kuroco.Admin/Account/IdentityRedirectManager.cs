using Microsoft.AspNetCore.Components;

namespace Kuroco.Admin.Account;

/// <summary>Redirects from the static account pages, to local URLs only (open-redirect safe).</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalUrl.OrRoot(uri));

    public void RedirectTo(string path, IReadOnlyDictionary<string, object?> query) =>
        navigationManager.NavigateTo(navigationManager.GetUriWithQueryParameters(LocalUrl.OrRoot(path), query));
}
