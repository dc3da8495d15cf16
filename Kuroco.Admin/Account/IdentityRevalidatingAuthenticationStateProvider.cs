using System.Security.Claims;
using Kuroco.Admin.Security;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Account;

/// <summary>
/// Re-checks an open circuit's user every minute: a changed security stamp (password change,
/// disable, lockout, role change, forced change, sign-out everywhere), a disabled account, a session
/// past its absolute lifetime or a circuit idle longer than the idle timeout ends the circuit's sign-in.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options,
    CircuitActivity activity,
    TimeProvider clock)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // This provider lives as long as the circuit (hours) and checks every minute: each check takes fresh scoped
        // services from a scope of its own rather than holding the circuit's (a database context open for hours).
        await using var scope = scopeFactory.CreateAsyncScope();
        var policy = await scope.ServiceProvider.GetRequiredService<ISessionPolicyStore>().GetAsync(cancellationToken);
        if (!IsWithinPolicy(policy, authenticationState.User))
        {
            return false;
        }
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        return await IsValidAsync(userManager, authenticationState.User);
    }

    private bool IsWithinPolicy(SessionPolicy policy, ClaimsPrincipal principal)
    {
        var now = clock.GetUtcNow();
        var issuedAt = SessionLifetime.IssuedAt(principal);
        return issuedAt is not null
            && !policy.IsPastLifetime(issuedAt.Value, now)
            && !policy.IsIdleTooLong(activity.LastActivityUtc, now);
    }

    private async Task<bool> IsValidAsync(UserManager<StaffUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || !user.IsEnabled)
        {
            return false;
        }
        var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await userManager.GetSecurityStampAsync(user);
    }
}
