using Hangfire.Dashboard;
using Kuroco.Core.Staff;

namespace Kuroco.Admin.Jobs;

/// <summary>
/// The job dashboard is for Administrators and Operators. The endpoint's authorization policy
/// already sends anonymous users to sign-in and answers 403 to other roles; this filter replaces
/// Hangfire's local-requests check and repeats the role check.
/// </summary>
public sealed class JobsDashboardAuthorizationFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true
            && AreaPolicies.RolesByPolicy[AreaPolicies.Jobs].Any(user.IsInRole);
    }
}
