using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Security;

/// <summary>
/// Enforces the IP allowlists before authentication: the API list on /api/*, the console list on
/// everything else except /health/* (load balancers probe it). A refused request gets 403 (problem
/// details for the API, a short localized text for the console) and an audit entry with outcome
/// Denied, coalesced to one per address and list every five minutes. The client address is the
/// socket's peer, or the one X-Forwarded-For names when that peer is a trusted proxy (see
/// <see cref="NetworkSecurityExtensions"/>). Singletons come in through the constructor, the request's own (scoped)
/// services as parameters of <see cref="InvokeAsync"/>: the shape a conventional middleware copies.
/// </summary>
internal sealed partial class IpRestrictionMiddleware(
    RequestDelegate next,
    IIpAllowlistProvider allowlists,
    DeniedRequestCoalescer coalescer,
    IStringLocalizer<NetworkResource> localizer,
    IProblemDetailsService problems,
    ILogger<IpRestrictionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, IAuditLog audit)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        // Health probes, and the customer's approval link of a restore request: the customer's contact opens it from
        // wherever they are, so the console's allowlist must not stop it (the page is anonymous and single-use). The public
        // status page and its feed are for customers anywhere (anonymous, public data only).
        if (path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/status", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/restore-requests/approve", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        var kind = IsApi(path) ? IpAllowlistKind.Api : IpAllowlistKind.Console;
        var list = (await allowlists.GetAsync(context.RequestAborted)).For(kind);
        var address = context.Connection.RemoteIpAddress;
        if (list.Allows(address))
        {
            await next(context);
            return;
        }

        var shown = address is null ? "unknown" : IpRange.Normalize(address).ToString();
        LogDenied(logger, shown, kind, path);
        if (coalescer.ShouldWrite(kind, shown, out var suppressed))
        {
            await AuditAsync(context, audit, kind, shown, suppressed);
        }
        await WriteForbiddenAsync(context, kind, shown);
    }

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private async Task AuditAsync(HttpContext context, IAuditLog audit, IpAllowlistKind kind, string address, int suppressed)
    {
        try
        {
            // Not the request's token: a client that hangs up must not stop the entry. The count of refusals since the
            // previous entry of this address (coalesced, see DeniedRequestCoalescer) is a parameter of its own.
            await audit.WriteAsync(new AuditRecord(AuditActions.IpDenied, AuditEntityTypes.IpAllowlist, kind.ToString(),
                AuditParameters.Of(
                    ("method", context.Request.Method),
                    ("path", Truncate(context.Request.Path.Value)),
                    ("address", address),
                    ("kind", kind.ToString()),
                    ("suppressed", suppressed.ToString(CultureInfo.InvariantCulture)),
                    ("window", DeniedRequestCoalescer.Window.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)),
                    ("variant", suppressed > 0 ? "coalesced" : null)),
                AuditOutcome.Denied), CancellationToken.None);
        }
#pragma warning disable CA1031 // The refusal stands even when the log cannot be written; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogAuditFailed(logger, ex);
        }
    }

    private async Task WriteForbiddenAsync(HttpContext context, IpAllowlistKind kind, string address)
    {
        var message = localizer["Access from your address ({0}) is not allowed. Ask an administrator to add it to the IP allowlist.", address].Value;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.CacheControl = "no-store";
        if (kind == IpAllowlistKind.Api)
        {
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = localizer["Forbidden"], Detail = message },
            });
            return;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }

    /// <summary>The path as it goes into the audit entry: at most 200 characters, control characters (a decoded %0A) replaced.</summary>
    internal static string Truncate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var cut = value.Length <= 200 ? value : value[..200];
        return string.Create(cut.Length, cut, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) || source[i] is '\u2028' or '\u2029' ? '?' : source[i];
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request from {Address} to {Path} refused by the {Kind} IP allowlist.")]
    private static partial void LogDenied(ILogger logger, string address, IpAllowlistKind kind, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the audit entry of a request refused by an IP allowlist.")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception);
}
