using System.Text;
using System.Reflection;
using Kuroco.Core.Common;

namespace Kuroco.Core.Security;

/// <summary>One broken rule: a stable code (for tests and clients) and a message in the current UI culture.</summary>
public sealed record PasswordViolation(string Code, string Message);

/// <summary>The outcome of checking a password: the broken rules and the zxcvbn strength score (0-4).</summary>
public sealed record PasswordCheck(IReadOnlyList<PasswordViolation> Violations, int Score)
{
    public bool IsValid => Violations.Count == 0;
}

/// <summary>Checks a password against a <see cref="PasswordPolicy"/> (everything but history, which needs the stored hashes).</summary>
public static class PasswordRules
{
    public static class Codes
    {
        public const string TooShort = "TooShort";
        public const string TooLong = "TooLong";
        public const string Lowercase = "RequiresLowercase";
        public const string Uppercase = "RequiresUppercase";
        public const string Digit = "RequiresDigit";
        public const string Symbol = "RequiresSymbol";
        public const string CharacterClasses = "RequiresCharacterClasses";
        public const string PersonalInfo = "ContainsPersonalInfo";
        public const string Common = "CommonPassword";
        public const string Weak = "TooWeak";
        public const string Reused = "ReusedPassword";
    }

    /// <summary>Shortest name or email part that counts as personal information (shorter ones match too much).</summary>
    public const int PersonalInfoMinLength = 3;

    private static readonly Lazy<HashSet<string>> CommonList = new(LoadCommonList);

    /// <summary>Length in Unicode characters (code points), as the policy counts it.</summary>
    public static int Length(string password) => password.EnumerateRunes().Count();

    /// <summary>True when the password equals (ignoring case) an entry of zxcvbn's list of ~30,000 common passwords.</summary>
    public static bool IsCommon(string password) => CommonList.Value.Contains(password);

    /// <summary>zxcvbn's strength estimate (0 = too guessable … 4 = very unguessable), with the user's own details as known words.</summary>
    public static int Score(string password, string? email = null, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
        {
            return 0;
        }
        // zxcvbn's matching grows quickly with length; beyond 128 characters the score is already 4 for anything non-trivial.
        var sample = password.Length > 128 ? password[..128] : password;
        return Zxcvbn.Zxcvbn.MatchPassword(sample, PersonalWords(email, displayName)).Score;
    }

    public static PasswordCheck Check(PasswordPolicy policy, string password, string? email = null, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        password ??= "";
        var violations = new List<PasswordViolation>();
        var length = Length(password);
        if (length < policy.MinLength)
        {
            violations.Add(Violation(Codes.TooShort, "Password.TooShort", policy.MinLength));
        }
        if (length > policy.MaxLength)
        {
            violations.Add(Violation(Codes.TooLong, "Password.TooLong", policy.MaxLength));
        }
        var classes = Classes(password);
        if (policy.RequireLowercase && !classes.Lower)
        {
            violations.Add(Violation(Codes.Lowercase, "Password.RequiresLowercase"));
        }
        if (policy.RequireUppercase && !classes.Upper)
        {
            violations.Add(Violation(Codes.Uppercase, "Password.RequiresUppercase"));
        }
        if (policy.RequireDigit && !classes.Digit)
        {
            violations.Add(Violation(Codes.Digit, "Password.RequiresDigit"));
        }
        if (policy.RequireSymbol && !classes.Symbol)
        {
            violations.Add(Violation(Codes.Symbol, "Password.RequiresSymbol"));
        }
        if (classes.Count < policy.MinCharacterClasses)
        {
            violations.Add(Violation(Codes.CharacterClasses, "Password.RequiresCharacterClasses", policy.MinCharacterClasses));
        }
        if (policy.RejectPersonalInfo && ContainsPersonalInfo(password, email, displayName))
        {
            violations.Add(Violation(Codes.PersonalInfo, "Password.ContainsPersonalInfo"));
        }
        if (policy.RejectCommonPasswords && IsCommon(password))
        {
            violations.Add(Violation(Codes.Common, "Password.Common"));
        }
        var score = Score(password, email, displayName);
        if (score < policy.MinStrengthScore)
        {
            violations.Add(Violation(Codes.Weak, "Password.TooWeak", score, policy.MinStrengthScore));
        }
        return new PasswordCheck(violations, score);
    }

    /// <summary>The message of the history rule (checked where the hashes are).</summary>
    public static PasswordViolation Reused(int historyCount) => Violation(Codes.Reused, "Password.Reused", historyCount);

    /// <summary>A one-line description of the policy's composition rules, for the hint under a new-password field.</summary>
    public static string Describe(PasswordPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var parts = new List<string> { CoreMessages.Format("Password.Hint.Length", policy.MinLength, policy.MaxLength) };
        if (policy.RequireLowercase)
        {
            parts.Add(CoreMessages.Get("Password.Hint.Lowercase"));
        }
        if (policy.RequireUppercase)
        {
            parts.Add(CoreMessages.Get("Password.Hint.Uppercase"));
        }
        if (policy.RequireDigit)
        {
            parts.Add(CoreMessages.Get("Password.Hint.Digit"));
        }
        if (policy.RequireSymbol)
        {
            parts.Add(CoreMessages.Get("Password.Hint.Symbol"));
        }
        if (policy.MinCharacterClasses > 0)
        {
            parts.Add(CoreMessages.Format("Password.Hint.Classes", policy.MinCharacterClasses));
        }
        if (policy.HistoryCount > 0)
        {
            parts.Add(CoreMessages.Format("Password.Hint.History", policy.HistoryCount));
        }
        return string.Join(CoreMessages.Get("Password.Hint.Separator"), parts);
    }

    internal static (bool Lower, bool Upper, bool Digit, bool Symbol, int Count) Classes(string password)
    {
        bool lower = false, upper = false, digit = false, symbol = false;
        foreach (var rune in password.EnumerateRunes())
        {
            if (Rune.IsLower(rune))
            {
                lower = true;
            }
            else if (Rune.IsUpper(rune))
            {
                upper = true;
            }
            else if (Rune.IsDigit(rune))
            {
                digit = true;
            }
            else
            {
                // Symbols, spaces and letters without case (kana, kanji) all count as "other".
                symbol = true;
            }
        }
        return (lower, upper, digit, symbol, (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0));
    }

    internal static bool ContainsPersonalInfo(string password, string? email, string? displayName) =>
        PersonalWords(email, displayName).Any(word => password.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>The email's local part and the display name, whole and split into words, each at least 3 characters.</summary>
    private static List<string> PersonalWords(string? email, string? displayName)
    {
        var sources = new List<string>();
        if (!string.IsNullOrWhiteSpace(email))
        {
            var at = email.IndexOf('@', StringComparison.Ordinal);
            sources.Add(at > 0 ? email[..at] : email);
        }
        if (!string.IsNullOrWhiteSpace(displayName))
        {
            sources.Add(displayName);
        }
        var words = new List<string>();
        foreach (var source in sources)
        {
            words.Add(source.Trim());
            words.AddRange(source.Split([' ', '.', '-', '_', '+', '\u3000'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        return [.. words.Where(w => w.Length >= PersonalInfoMinLength).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static PasswordViolation Violation(string code, string key, params object[] args) =>
        new(code, args.Length == 0 ? CoreMessages.Get(key) : CoreMessages.Format(key, args));

    private static HashSet<string> LoadCommonList()
    {
        var assembly = typeof(Zxcvbn.Zxcvbn).GetTypeInfo().Assembly;
        using var stream = assembly.GetManifestResourceStream("zxcvbn-core.Dictionaries.passwords.lst")
            ?? throw new InvalidOperationException("zxcvbn-core no longer embeds its password list.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() is { Length: > 0 } entry)
            {
                set.Add(entry);
            }
        }
        return set;
    }
}
