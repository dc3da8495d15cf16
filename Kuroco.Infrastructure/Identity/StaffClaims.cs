namespace Kuroco.Infrastructure.Identity;

/// <summary>Claims the console adds to the sign-in cookie.</summary>
public static class StaffClaims
{
    public const string DisplayName = "kuroco:display_name";
    public const string TimeZone = "kuroco:tz";

    /// <summary>The account's chosen language (<see cref="Kuroco.Core.Staff.StaffLanguages"/>), absent when none: signing in sets the culture cookie from it.</summary>
    public const string Language = "kuroco:lang";
    public const string MustChangePassword = "kuroco:must_change_password";
    /// <summary>Set with <see cref="MustChangePassword"/> when the change is due because the password expired.</summary>
    public const string PasswordExpired = "kuroco:password_expired";

    /// <summary>The account's role requires two-factor sign-in and it has none yet: it can reach nothing but enrolment.</summary>
    public const string TwoFactorSetupRequired = "kuroco:two_factor_setup_required";

    /// <summary>When the session began (Unix seconds, UTC): the absolute session lifetime counts from here.</summary>
    public const string SessionIssuedAt = "kuroco:session_issued";
}
