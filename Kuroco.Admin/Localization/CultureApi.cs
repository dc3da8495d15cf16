using System.Security.Claims;
using Kuroco.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;

namespace Kuroco.Admin.Localization;

/// <summary><c>GET /culture/set?culture=ja&amp;returnUrl=/…</c>: the language switch of every page, signed in or not.</summary>
public static class CultureApi
{
    public static IEndpointRouteBuilder MapCultureApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/culture/set", SetCulture).AllowAnonymous().WithName("SetCulture").ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// Stores the chosen culture in a cookie and returns to a local page (never off-site). A signed-in staff member's
    /// choice is also kept on the account (audited as a profile change), so it follows them to another browser.
    /// </summary>
    internal static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SetCulture(
        HttpContext context, [AsParameters] SetCultureRequest request, IStaffService staff)
    {
        if (!SupportedCultures.IsSupported(request.Culture))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported culture.",
                detail: $"Supported cultures: {string.Join(", ", SupportedCultures.All)}.");
        }
        AppendCookie(context, request.Culture!);
        var userId = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        if (userId is not null && StaffLanguages.Normalize(request.Culture) is { } language)
        {
            // The cookie already switched this browser; a refused save (the account gone) changes nothing else.
            await staff.SetLanguageAsync(userId, language, context.RequestAborted);
        }
        return TypedResults.Redirect(LocalUrl.ForRedirect(request.ReturnUrl));
    }

    /// <summary>The culture cookie the request localization reads (also set at sign-in from the account's language).</summary>
    internal static void AppendCookie(HttpContext context, string culture)
    {
        var value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));
        context.Response.Cookies.Append(SupportedCultures.CookieName, value, new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
        });
    }
}
