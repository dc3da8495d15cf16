using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Account;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post with an antiforgery token (validated for [FromForm] endpoints).
        endpoints.MapPost("/account/logout", LogoutAsync).WithName("Logout").ExcludeFromDescription();
        endpoints.MapPost("/account/sign-out-everywhere", SignOutEverywhereAsync).ExcludeFromDescription();
        endpoints.MapPasskeyEndpoints();
        // Signed-in only (fallback policy): the request itself renews the cookie's last use (see SessionLifetime).
        endpoints.MapGet("/account/keepalive", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.NoContent();
        }).ExcludeFromDescription();
    }

    /// <summary>The signed-in user ends all of their sessions: this one now, the others within the session check interval.</summary>
    internal static async Task<IResult> SignOutEverywhereAsync(
        HttpContext context,
        [FromServices] SignInManager<StaffUser> signInManager,
        [FromServices] Kuroco.Core.Staff.IStaffService staff,
        [FromForm] string? returnUrl)
    {
        var userId = signInManager.UserManager.GetUserId(context.User);
        if (userId is null)
        {
            return TypedResults.LocalRedirect("/account/login");
        }
        var result = await staff.SignOutEverywhereAsync(userId, context.RequestAborted);
        if (!result.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError);
        }
        await signInManager.SignOutAsync();
        return TypedResults.LocalRedirect("/account/login" + (LocalUrl.IsLocal(returnUrl) ? "?returnUrl=" + Uri.EscapeDataString(returnUrl!) : ""));
    }

    internal static async Task<IResult> LogoutAsync(
        HttpContext context,
        [FromServices] SignInManager<StaffUser> signInManager,
        [FromServices] IAuditLog audit,
        [FromForm] string? returnUrl)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.SignOut, "Staff",
                signInManager.UserManager.GetUserId(context.User), "Signed out."), context.RequestAborted);
        }
        await signInManager.SignOutAsync();
        return TypedResults.LocalRedirect("/account/login" + (LocalUrl.IsLocal(returnUrl) ? "?returnUrl=" + Uri.EscapeDataString(returnUrl!) : ""));
    }
}
