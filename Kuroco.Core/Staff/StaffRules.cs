namespace Kuroco.Core.Staff;

public static class StaffRules
{
    public const int DisplayNameMaxLength = 100;

    /// <summary>
    /// Whether a change may proceed: removing the Administrator role from, or disabling, an
    /// enabled Administrator is refused when they are the last enabled one.
    /// </summary>
    public static bool WouldRemoveLastAdministrator(
        bool targetIsEnabledAdministrator,
        bool targetRemainsEnabledAdministrator,
        int enabledAdministratorCount) =>
        targetIsEnabledAdministrator && !targetRemainsEnabledAdministrator && enabledAdministratorCount <= 1;
}
