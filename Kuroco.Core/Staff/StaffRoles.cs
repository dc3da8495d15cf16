namespace Kuroco.Core.Staff;

/// <summary>The staff roles of the console. Role names are stored, so never rename one.</summary>
public static class StaffRoles
{
    public const string Administrator = "Administrator";
    public const string ContentEditor = "ContentEditor";
    public const string SecurityOfficer = "SecurityOfficer";
    public const string SupportStaff = "SupportStaff";
    public const string Operator = "Operator";

    public static IReadOnlyList<string> All { get; } =
        [Administrator, ContentEditor, SecurityOfficer, SupportStaff, Operator];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
