using Hangfire.Dashboard;
using Kuroco.Core.Staff;

namespace Kuroco.Admin.Jobs;

/// <summary>
/// Hangfire's dashboard (English, UTC, class names) is an advanced tool for Administrators; Operators use the
/// console's /jobs screen. The endpoint's authorization already sends anonymous users to sign-in and answers 403
/// to other roles; this filter replaces Hangfire's local-requests check and repeats the role check.
/// </summary>
public sealed class JobsDashboardAuthorizationFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true
            && user.IsInRole(StaffRoles.Administrator);
    }
}
