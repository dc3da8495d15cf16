using Microsoft.AspNetCore.Localization;

namespace Kuroco.Admin.Localization;

public static class CultureEndpoints
{
    public static void MapCultureEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/culture/set", SetCulture).AllowAnonymous().WithName("SetCulture").ExcludeFromDescription();
    }

    /// <summary>Stores the chosen culture in a cookie and returns to a local page (never off-site).</summary>
    internal static IResult SetCulture(HttpContext context, string? culture, string? returnUrl)
    {
        if (!SupportedCultures.IsSupported(culture))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported culture.",
                detail: $"Supported cultures: {string.Join(", ", SupportedCultures.All)}.");
        }
        var value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture!));
        context.Response.Cookies.Append(SupportedCultures.CookieName, value, new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
        });
        return TypedResults.LocalRedirect(LocalUrl.OrRoot(returnUrl));
    }
}
