using System.Diagnostics;

namespace Kuroco.Admin.Security;

/// <summary>
/// Gives every request a correlation id (the W3C trace id), echoed in X-Correlation-Id and written
/// to audit entries. A client-sent id is never trusted: it could carry header or log injection.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Correlation-Id";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
        context.Items[HeaderName] = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        return next(context);
    }
}
