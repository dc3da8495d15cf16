using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kuroco.Admin.Security;

namespace Kuroco.Admin.Api;

/// <summary>
/// Fits Scalar's reference page into the console's Content-Security-Policy. The page loads its scripts
/// from this app (scalar.js is embedded in the package: no CDN) but starts them with one inline module
/// script; instead of allowing inline scripts, the HTML is buffered and exactly that script's SHA-256 is
/// added to script-src, for this page only. "/api/reference" is redirected to "/api/reference/" so the
/// page's relative script URLs resolve under it.
/// </summary>
internal sealed partial class ApiReferencePage(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals(ApiOpenApi.ReferencePath, StringComparison.OrdinalIgnoreCase) && !path.Value!.EndsWith('/'))
        {
            context.Response.Redirect(ApiOpenApi.ReferencePath + "/" + context.Request.QueryString, permanent: false);
            return;
        }
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        buffer.Position = 0;
        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            var html = Encoding.UTF8.GetString(buffer.ToArray());
            var hashes = InlineScript().Matches(html)
                .Select(m => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value))) + "'")
                .Distinct(StringComparer.Ordinal);
            context.Items[SecurityHeadersMiddleware.PolicyOverrideItem] = SecurityHeadersMiddleware.ContentSecurityPolicy
                .Replace("script-src 'self';", "script-src 'self' " + string.Join(' ', hashes) + ";", StringComparison.Ordinal);
        }
        context.Response.ContentLength = buffer.Length;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex InlineScript();
}
