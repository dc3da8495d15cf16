using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Account;

/// <summary>WebAuthn options for the browser's passkey calls (see wwwroot/js/passkey-submit.js). Both require an antiforgery token in a header.</summary>
public static class PasskeyEndpoints
{
    public const string CreationOptionsPath = "/account/passkey-creation-options";
    public const string RequestOptionsPath = "/account/passkey-request-options";

    public static void MapPasskeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Signed-in staff only (the fallback policy): registers a passkey for the current account.
        endpoints.MapPost(CreationOptionsPath, CreationOptionsAsync).ExcludeFromDescription().DisableAntiforgery();
        // Before sign-in: the challenge for signing in with a passkey.
        endpoints.MapPost(RequestOptionsPath, RequestOptionsAsync).ExcludeFromDescription().DisableAntiforgery().AllowAnonymous();
    }

    internal static async Task<IResult> CreationOptionsAsync(
        HttpContext context,
        [FromServices] UserManager<StaffUser> userManager,
        [FromServices] SignInManager<StaffUser> signInManager,
        [FromServices] IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }
        var user = await userManager.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.NotFound();
        }
        var name = user.Email ?? user.UserName ?? user.Id;
        var optionsJson = await signInManager.MakePasskeyCreationOptionsAsync(new()
        {
            Id = user.Id,
            Name = name,
            DisplayName = string.IsNullOrEmpty(user.DisplayName) ? name : user.DisplayName,
        });
        return TypedResults.Content(optionsJson, contentType: "application/json");
    }

    internal static async Task<IResult> RequestOptionsAsync(
        HttpContext context,
        [FromServices] SignInManager<StaffUser> signInManager,
        [FromServices] IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }
        // Never for a named account: its list of allowed credentials would tell a stranger that the
        // account exists and has passkeys. The browser offers the passkeys it holds for this site.
        var optionsJson = await signInManager.MakePasskeyRequestOptionsAsync(null);
        return TypedResults.Content(optionsJson, contentType: "application/json");
    }
}
