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

    /// <summary>Stores the chosen culture in a cookie and returns to a local page (never off-site).</summary>
    internal static Results<RedirectHttpResult, ProblemHttpResult> SetCulture(HttpContext context, [AsParameters] SetCultureRequest request)
    {
        if (!SupportedCultures.IsSupported(request.Culture))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported culture.",
                detail: $"Supported cultures: {string.Join(", ", SupportedCultures.All)}.");
        }
        var value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(request.Culture!));
        context.Response.Cookies.Append(SupportedCultures.CookieName, value, new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
        });
        return TypedResults.Redirect(LocalUrl.ForRedirect(request.ReturnUrl));
    }
}
