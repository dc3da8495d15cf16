using Kuroco.Core.Staff;

namespace Kuroco.Tests.Unit.Staff;

public sealed class StaffRulesTests
{
    [Theory]
    // The last enabled Administrator loses the role or is disabled: refused.
    [InlineData(true, false, 1, true)]
    // Counts below one cannot make it safe.
    [InlineData(true, false, 0, true)]
    // Another enabled Administrator remains.
    [InlineData(true, false, 2, false)]
    [InlineData(true, false, 10, false)]
    // The target stays an enabled Administrator (e.g. only their name changes).
    [InlineData(true, true, 1, false)]
    // The target is not an enabled Administrator: nothing to protect.
    [InlineData(false, false, 1, false)]
    [InlineData(false, false, 0, false)]
    [InlineData(false, true, 1, false)]
    public void Only_removing_the_last_enabled_administrator_is_refused(
        bool targetIsEnabledAdministrator, bool targetRemainsEnabledAdministrator, int enabledAdministratorCount, bool refused)
    {
        Assert.Equal(refused, StaffRules.WouldRemoveLastAdministrator(
            targetIsEnabledAdministrator, targetRemainsEnabledAdministrator, enabledAdministratorCount));
    }

    [Theory]
    [InlineData(AreaPolicies.Jobs, StaffRoles.Operator, true)]
    [InlineData(AreaPolicies.Jobs, StaffRoles.Administrator, true)]
    [InlineData(AreaPolicies.Jobs, StaffRoles.ContentEditor, false)]
    [InlineData(AreaPolicies.Audit, StaffRoles.SecurityOfficer, true)]
    [InlineData(AreaPolicies.Audit, StaffRoles.Operator, false)]
    [InlineData(AreaPolicies.Settings, StaffRoles.SecurityOfficer, false)]
    [InlineData("Area.Unknown", StaffRoles.Administrator, false)]
    public void Area_policies_admit_their_roles(string policy, string role, bool allowed)
    {
        Assert.Equal(allowed, AreaPolicies.Allows(policy, [role]));
    }

    [Fact]
    public void Administrators_reach_every_area()
    {
        Assert.All(AreaPolicies.RolesByPolicy.Keys, policy => Assert.True(AreaPolicies.Allows(policy, [StaffRoles.Administrator]), policy));
    }
}
