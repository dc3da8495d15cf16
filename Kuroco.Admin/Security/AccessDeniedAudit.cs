using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Kuroco.Admin.Security;

/// <summary>
/// Records a refusal (403) of a signed-in user or an API key: the page or endpoint and the roles it allows, coalesced
/// like IP denials (one entry per caller and path per window, the next one counting the refusals in between). One place
/// for the three ways a refusal happens: the cookie handler's forbid (a request for a page), a page refused inside a live
/// console after navigating (no request reaches the server), and an API key whose scope does not allow the endpoint.
/// </summary>
public sealed class AccessDeniedAudit(IAuditLog audit, IAuthorizationPolicyProvider policies, DeniedRequestCoalescer coalescer)
{
    public async Task RecordAsync(string caller, string method, string? path, IEnumerable<IAuthorizeData> required, AuditActor? actor = null)
    {
        ArgumentNullException.ThrowIfNull(required);
        var shortPath = IpRestrictionMiddleware.Truncate(path);
        if (!coalescer.ShouldWriteForbidden(caller, shortPath, out var suppressed))
        {
            return;
        }
        var policy = await AuthorizationPolicy.CombineAsync(policies, required);
        var roles = policy?.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() ?? [];
        // Not the request's token: a client that hangs up must not stop the entry.
        await audit.WriteAsync(new AuditRecord(AuditActions.AccessDenied, AuditEntityTypes.Page, shortPath,
            AuditParameters.Of(
                ("method", method),
                ("path", shortPath),
                ("roles", roles.Count == 0 ? null : string.Join(',', roles)),
                ("suppressed", suppressed.ToString(CultureInfo.InvariantCulture)),
                ("window", DeniedRequestCoalescer.Window.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)),
                ("variant", suppressed > 0 ? "coalesced" : null)),
            AuditOutcome.Denied) { Actor = actor }, CancellationToken.None);
    }
}
