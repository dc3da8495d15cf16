using System.Security.Claims;
using Kuroco.Core.Api;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Kuroco.Admin.Audit;

/// <summary>
/// Who and where for audit entries. In an HTTP request both come from the HttpContext; inside a
/// Blazor circuit (no usable HttpContext) the user comes from the authentication state and the
/// address from the connection that opened the circuit.
/// </summary>
internal sealed class HttpAuditContext(
    IHttpContextAccessor accessor,
    IServiceProvider services,
    CircuitOrigin circuitOrigin) : IAuditContext
{
    public async ValueTask<AuditActor> GetActorAsync()
    {
        if (!circuitOrigin.IsCircuit && accessor.HttpContext is { } http)
        {
            return FromPrincipal(http.User);
        }
        if (AuthenticationState() is { } provider)
        {
            try
            {
                var state = await provider.GetAuthenticationStateAsync();
                return FromPrincipal(state.User);
            }
            catch (InvalidOperationException)
            {
                // No authentication state in this scope (a background job): the system acts.
            }
        }
        return AuditActor.System;
    }

    /// <summary>
    /// The authentication state of a circuit (or of a job's scope), looked up only there, where it is needed. Not a
    /// constructor parameter on purpose: this context is built for every audited HTTP request, which has its user on the
    /// HttpContext and would otherwise build the circuit's revalidating provider and activity tracker for nothing.
    /// The one service lookup of this class; null where no provider is registered.
    /// </summary>
    private AuthenticationStateProvider? AuthenticationState() => services.GetService<AuthenticationStateProvider>();

    public AuditOrigin GetOrigin()
    {
        if (circuitOrigin.IsCircuit)
        {
            return circuitOrigin.Origin;
        }
        return accessor.HttpContext is { } http ? FromHttp(http) : AuditOrigin.None;
    }

    internal static AuditOrigin FromHttp(HttpContext http) => new(
        http.Connection.RemoteIpAddress?.ToString(),
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
        http.Items[Security.CorrelationIdMiddleware.HeaderName] as string ?? http.TraceIdentifier);

    /// <summary>How an API key appears as an actor in the audit log and in "updated by": "API key NAME (kk_12345678)".</summary>
    internal static string ApiKeyActorName(string? name, string prefix) => $"API key {name ?? "?"} ({prefix})";

    private static AuditActor FromPrincipal(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return AuditActor.Anonymous;
        }
        if (user.FindFirstValue(ApiClaims.KeyId) is { } keyId)
        {
            // The management API acts as its key: named with its display prefix, never its secret.
            return new AuditActor(null, ApiKeyActorName(user.FindFirstValue(ApiClaims.KeyName), user.FindFirstValue(ApiClaims.KeyPrefix) ?? keyId), []);
        }
        return new AuditActor(
            user.FindFirstValue(ClaimTypes.NameIdentifier),
            user.FindFirstValue(ClaimTypes.Name) ?? user.FindFirstValue(StaffClaims.DisplayName) ?? "unknown",
            [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)]);
    }
}

/// <summary>The address and user agent of the connection behind the current Blazor circuit.</summary>
internal sealed class CircuitOrigin
{
    public bool IsCircuit { get; set; }
    public AuditOrigin Origin { get; set; } = AuditOrigin.None;
}

internal sealed class CircuitOriginHandler(CircuitOrigin origin, IHttpContextAccessor accessor) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        origin.IsCircuit = true;
        if (accessor.HttpContext is { } http)
        {
            origin.Origin = HttpAuditContext.FromHttp(http) with { CorrelationId = circuit.Id };
        }
        else
        {
            origin.Origin = new AuditOrigin(null, null, circuit.Id);
        }
        return Task.CompletedTask;
    }
}
