using Kuroco.Core.Security.SignIn;
using Microsoft.AspNetCore.Components;

namespace Kuroco.Admin.Account;

/// <summary>Redirects from the static account pages: to local URLs only (open-redirect safe), percent-encoded for the Location header.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string ChangePasswordPath = "/account/change-password";

    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalUrl.ForRedirect(uri));

    public void RedirectTo(string path, IReadOnlyDictionary<string, object?> query) =>
        navigationManager.NavigateTo(LocalUrl.Encode(navigationManager.GetUriWithQueryParameters(LocalUrl.OrRoot(path), query)));

    /// <summary>Where a finished sign-in goes: the page asked for, or first the password change it owes.</summary>
    public void RedirectAfterSignIn(SignInOutcome outcome, string? returnUrl)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        RedirectTo(outcome.Status == SignInStatus.RequiresPasswordChange ? LocalUrl.WithReturnUrl(ChangePasswordPath, returnUrl) : returnUrl);
    }
}
