using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Admin.Account;

/// <summary>
/// WebAuthn options for the browser's passkey calls (see wwwroot/js/passkey-submit.js). Both require an antiforgery
/// token in a header; the ceremony's state stays with Identity (a protected cookie) until the page posts the result.
/// </summary>
public static class PasskeyApi
{
    public const string CreationOptionsPath = "/account/passkey-creation-options";
    public const string RequestOptionsPath = "/account/passkey-request-options";

    public static IEndpointRouteBuilder MapPasskeyApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Signed-in staff only (the fallback policy): registers a passkey for the current account.
        endpoints.MapPost(CreationOptionsPath, CreationOptionsAsync).WithName("PasskeyCreationOptions").ExcludeFromDescription().DisableAntiforgery();
        // Before sign-in: the challenge for signing in with a passkey.
        endpoints.MapPost(RequestOptionsPath, RequestOptionsAsync).WithName("PasskeyRequestOptions").ExcludeFromDescription().DisableAntiforgery().AllowAnonymous();
        return endpoints;
    }

    internal static async Task<Results<ContentHttpResult, BadRequest, NotFound>> CreationOptionsAsync(HttpContext context, [AsParameters] PasskeyServices services)
    {
        if (!await services.Antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }
        var user = await services.SignInManager.UserManager.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.NotFound();
        }
        var name = user.Email ?? user.UserName ?? user.Id;
        var optionsJson = await services.SignInManager.MakePasskeyCreationOptionsAsync(new()
        {
            Id = user.Id,
            Name = name,
            DisplayName = string.IsNullOrEmpty(user.DisplayName) ? name : user.DisplayName,
        });
        return TypedResults.Content(optionsJson, contentType: "application/json");
    }

    internal static async Task<Results<ContentHttpResult, BadRequest>> RequestOptionsAsync(HttpContext context, [AsParameters] PasskeyServices services)
    {
        if (!await services.Antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }
        // Never for a named account: its list of allowed credentials would tell a stranger that the
        // account exists and has passkeys. The browser offers the passkeys it holds for this site.
        var optionsJson = await services.SignInManager.MakePasskeyRequestOptionsAsync(null);
        return TypedResults.Content(optionsJson, contentType: "application/json");
    }
}

/// <summary>What the passkey endpoints use, bound with [AsParameters]: Identity's passkey ceremony and the antiforgery check.</summary>
internal readonly record struct PasskeyServices(SignInManager<StaffUser> SignInManager, IAntiforgery Antiforgery);
