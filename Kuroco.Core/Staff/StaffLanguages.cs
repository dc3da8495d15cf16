using System.Globalization;

namespace Kuroco.Core.Staff;

/// <summary>
/// The console languages a staff member can choose (the culture names of the console's language switch). The choice is
/// stored on the account, so it follows the person to another browser, and it decides the language of the mails they get.
/// </summary>
public static class StaffLanguages
{
    public const string English = "en";
    public const string Japanese = "ja-JP";

    /// <summary>The console's default culture: the language of mails to an account that has not chosen one.</summary>
    public const string Default = English;

    public const int MaxLength = 16;

    public static IReadOnlyList<string> All { get; } = [English, Japanese];

    public static bool IsValid(string? language) => language is not null && All.Contains(language, StringComparer.Ordinal);

    /// <summary>The stored form of a culture name ("ja-jp" → "ja-JP", "ja" → "ja-JP"), or null when it is not a console language.</summary>
    public static string? Normalize(string? language)
    {
        var family = language?.Split('-', 2)[0].Trim().ToLowerInvariant();
        return family switch
        {
            "ja" => Japanese,
            "en" => English,
            _ => null,
        };
    }

    /// <summary>The culture a mail to the person is written in (an unknown value reads as the default).</summary>
    public static CultureInfo CultureOf(string? language) => CultureInfo.GetCultureInfo(Normalize(language) ?? Default);
}
