using System.Diagnostics;
using System.Text;
using Kuroco.Admin.Api;
using Kuroco.Admin.Members;
using Kuroco.Admin.Security;
using Kuroco.Core.Api;
using Kuroco.Core.Logs;

namespace Kuroco.Admin.Logs;

/// <summary>
/// The API request log: every request under /api with its method, path (query values of secret-looking
/// parameters replaced), final status, duration, the API key's prefix (never the key) or the member id,
/// the client address (after the trusted-proxy rewrite) and the correlation id. Queued, never awaited.
/// </summary>
public sealed class ApiRequestLogMiddleware(RequestDelegate next, ILogWriter writer, TimeProvider clock)
{
    public const int PathMaxLength = 1_000;

    private static readonly string[] SecretWords = ["key", "token", "secret", "password", "passwd", "code", "signature", "sig", "auth", "credential"];

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        var at = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            writer.TryWrite(new ApiRequestLogEntry(
                at,
                context.Request.Method,
                SafePath(context.Request),
                status,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                KeyPrefix(context),
                MemberRequests.KnownMemberId(context)?.ToString(),
                context.Connection.RemoteIpAddress?.ToString(),
                context.Items.TryGetValue(CorrelationIdMiddleware.HeaderName, out var id) ? id as string : null));
        }
    }

    /// <summary>The path and query, with the value of any parameter whose name looks like a secret replaced by "***".</summary>
    public static string SafePath(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder((request.PathBase + request.Path).ToString());
        var first = true;
        foreach (var (name, values) in request.Query)
        {
            foreach (var value in values.Count == 0 ? [""] : values.ToArray())
            {
                text.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=')
                    .Append(IsSecret(name) ? "***" : Uri.EscapeDataString(value ?? ""));
                first = false;
            }
        }
        var path = text.ToString();
        return path.Length > PathMaxLength ? path[..PathMaxLength] : path;
    }

    public static bool IsSecret(string name) =>
        SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>The key's public prefix: from the authenticated key, else from a presented (refused) key.</summary>
    private static string? KeyPrefix(HttpContext context)
    {
        if (context.User.FindFirst(ApiClaims.KeyPrefix)?.Value is { } prefix)
        {
            return prefix;
        }
        var presented = ApiKeyAuthenticationHandler.ReadKey(context.Request);
        return presented is { Length: >= ApiKeySecret.PrefixLength } && context.Items.ContainsKey(ApiKeyAuthenticationHandler.FailureItem)
            ? ApiKeySecret.Prefix(presented)
            : null;
    }
}
