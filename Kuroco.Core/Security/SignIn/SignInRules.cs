namespace Kuroco.Core.Security.SignIn;

/// <summary>Input limits of the sign-in forms and the API, checked by the sign-in service before anything else.</summary>
public static class SignInRules
{
    /// <summary>The longest password any policy allows, in UTF-16 units (a character may take two).</summary>
    public const int MaxPasswordInput = 2 * PasswordPolicy.MaxLengthCeiling;

    /// <summary>Authenticator codes are 6 digits; a space or dash in the middle is tolerated.</summary>
    public const int MaxCodeInput = 7;

    /// <summary>Recovery codes are short; anything longer is not one.</summary>
    public const int MaxRecoveryCodeInput = 64;

    /// <summary>The code as typed, without the spaces and dashes people add.</summary>
    public static string NormalizeCode(string? code) =>
        (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
}
