using Kuroco.Core.Staff;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Infrastructure.Identity;

/// <summary>A staff account of the console (ASP.NET Core Identity user). The email is the user name.</summary>
public sealed class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public string TimeZoneId { get; set; } = StaffTimeZones.Default;

    /// <summary>
    /// The console and mail language (<see cref="StaffLanguages"/>); sign-in sets the culture cookie from it. Null until the
    /// person chooses one: the console then follows the browser and mails use <see cref="StaffLanguages.Default"/>.
    /// </summary>
    public string? Language { get; set; }
    public bool IsEnabled { get; set; } = true;

    /// <summary>Set for new, reset and bootstrap accounts: the user can reach nothing but the change-password page.</summary>
    public bool MustChangePassword { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime? LastSignInUtc { get; set; }
    public DateTime? PasswordChangedAtUtc { get; set; }
}
