namespace Kuroco.Admin.Components.Pages.Security.Components;

/// <summary>Whose password policy a <see cref="PasswordPolicyForm"/> edits.</summary>
public enum PolicyAudience
{
    /// <summary>The console's staff accounts (<see cref="Kuroco.Core.Security.IPasswordPolicyStore"/>).</summary>
    Staff,

    /// <summary>The websites' member accounts (<see cref="Kuroco.Core.Members.IMemberPasswordPolicyStore"/>).</summary>
    Members,
}
