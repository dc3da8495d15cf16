namespace Kuroco.Core.Staff;

/// <summary>
/// One authorization policy per console area, and the roles each admits. Administrators reach every
/// area. The drawer shows the areas these policies allow, and the role table at the top of README.md
/// says the same (a test compares the two): keep them in step.
/// </summary>
public static class AreaPolicies
{
    public const string Content = "Area.Content";
    public const string Members = "Area.Members";
    public const string Security = "Area.Security";
    public const string Audit = "Area.Audit";
    public const string Backups = "Area.Backups";
    public const string Monitoring = "Area.Monitoring";
    public const string Jobs = "Area.Jobs";
    public const string Settings = "Area.Settings";

    public static IReadOnlyDictionary<string, string[]> RolesByPolicy { get; } = new Dictionary<string, string[]>
    {
        [Content] = [StaffRoles.Administrator, StaffRoles.ContentEditor],
        // ContentEditors manage members; SupportStaff take members' restore requests.
        [Members] = [StaffRoles.Administrator, StaffRoles.ContentEditor, StaffRoles.SupportStaff],
        [Security] = [StaffRoles.Administrator, StaffRoles.SecurityOfficer],
        [Audit] = [StaffRoles.Administrator, StaffRoles.SecurityOfficer],
        [Backups] = [StaffRoles.Administrator, StaffRoles.SupportStaff, StaffRoles.Operator],
        [Monitoring] = [StaffRoles.Administrator, StaffRoles.Operator],
        [Jobs] = [StaffRoles.Administrator, StaffRoles.Operator],
        [Settings] = [StaffRoles.Administrator],
    };

    public static bool Allows(string policy, IEnumerable<string> roles) =>
        RolesByPolicy.TryGetValue(policy, out var allowed) && roles.Any(r => allowed.Contains(r, StringComparer.Ordinal));
}
