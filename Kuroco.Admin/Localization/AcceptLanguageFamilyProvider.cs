using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Kuroco.Admin.Localization;

/// <summary>
/// The browser's Accept-Language by language family: "ja", "ja-JP" or "ja-Latn" all mean the console's Japanese
/// (ja-JP), "en-GB" or "en" its English. ASP.NET Core's own provider only falls back from a specific culture to
/// its parent, so a Japanese browser sending plain "ja" (as Chrome and Firefox do) would get English.
/// Preferences are taken in quality order; the first family the console speaks wins.
/// </summary>
public sealed class AcceptLanguageFamilyProvider : RequestCultureProvider
{
    /// <summary>How many entries of the header are looked at (as ASP.NET Core's provider does).</summary>
    private const int MaximumValuesToTry = 5;

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var header = httpContext.Request.Headers.AcceptLanguage;
        if (StringValues.IsNullOrEmpty(header)
            || !StringWithQualityHeaderValue.TryParseList(header, out var languages) || languages.Count == 0)
        {
            return NullProviderCultureResult;
        }
        var ordered = languages
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Take(MaximumValuesToTry);
        foreach (var language in ordered)
        {
            if (SupportedCultures.ForLanguageTag(language.Value.Value) is { } culture)
            {
                return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(culture));
            }
        }
        return NullProviderCultureResult;
    }
}
