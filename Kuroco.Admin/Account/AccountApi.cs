using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Account;

/// <summary>
/// The account endpoints beside the static account pages: <c>POST /account/logout</c>, <c>POST /account/sign-out-everywhere</c>
/// (form posts with an antiforgery token, validated for [FromForm] endpoints) and <c>GET /account/keepalive</c>. The
/// passkey options are their own resource, <see cref="PasskeyApi"/>; both are mapped from <c>Api/ApiEndpoints.cs</c>.
/// </summary>
public static class AccountApi
{
    public const string LoginPath = "/account/login";

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/account/logout", LogoutAsync).WithName("Logout").ExcludeFromDescription();
        endpoints.MapPost("/account/sign-out-everywhere", SignOutEverywhereAsync).WithName("SignOutEverywhere").ExcludeFromDescription();
        // Signed-in only (fallback policy): the request itself renews the cookie's last use (see SessionLifetime).
        endpoints.MapGet("/account/keepalive", KeepAlive).WithName("KeepAlive").ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Signs out (audited when someone was signed in) and returns to the sign-in page, keeping a local return URL.</summary>
    internal static async Task<RedirectHttpResult> LogoutAsync(HttpContext context, [AsParameters] AccountServices services, [FromForm] SignOutForm? form)
    {
        var userId = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        await services.SignIn.SignOutAsync(userId, context.RequestAborted);
        return ToLogin(form?.ReturnUrl);
    }

    /// <summary>The signed-in user ends all of their sessions: this one now, the others within the session check interval.</summary>
    internal static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutEverywhereAsync(
        HttpContext context, [AsParameters] AccountServices services, [FromForm] SignOutForm? form)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return ToLogin(null);
        }
        var result = await services.Staff.SignOutEverywhereAsync(userId, context.RequestAborted);
        if (!result.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError);
        }
        // Audited by the staff service ("signed out everywhere"): this only ends the current cookie.
        await services.SignIn.SignOutAsync(null, context.RequestAborted);
        return ToLogin(form?.ReturnUrl);
    }

    internal static NoContent KeepAlive(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.NoContent();
    }

    private static RedirectHttpResult ToLogin(string? returnUrl) =>
        TypedResults.Redirect(LocalUrl.Encode(LocalUrl.IsLocal(returnUrl) ? LocalUrl.WithReturnUrl(LoginPath, returnUrl) : LoginPath));
}
