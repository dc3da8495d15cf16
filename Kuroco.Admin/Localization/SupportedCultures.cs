namespace Kuroco.Admin.Localization;

public static class SupportedCultures
{
    public const string English = Kuroco.Core.Staff.StaffLanguages.English;
    public const string Japanese = Kuroco.Core.Staff.StaffLanguages.Japanese;
    public const string Default = Kuroco.Core.Staff.StaffLanguages.Default;
    public const string CookieName = "Kuroco.Culture";

    public static IReadOnlyList<string> All { get; } = [English, Japanese];

    public static bool IsSupported(string? culture) =>
        culture is not null && All.Contains(culture, StringComparer.OrdinalIgnoreCase);

    /// <summary>The console culture of a language tag's family ("ja", "ja-JP" → ja-JP; "en-GB" → en), or null.</summary>
    public static string? ForLanguageTag(string? tag)
    {
        var language = tag?.Split('-', 2)[0].Trim();
        return language?.ToLowerInvariant() switch
        {
            "ja" => Japanese,
            "en" => English,
            _ => null,
        };
    }
}
