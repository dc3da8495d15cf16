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
