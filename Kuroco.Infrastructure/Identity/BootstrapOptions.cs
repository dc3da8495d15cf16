namespace Kuroco.Infrastructure.Identity;

/// <summary>Configuration section "Kuroco:Bootstrap": the first Administrator, created when none exists.</summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Kuroco:Bootstrap";
    public const string DefaultAdminEmail = "admin@localhost";

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}
