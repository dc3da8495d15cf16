namespace Kuroco.Admin.Localization;

public static class SupportedCultures
{
    public const string English = "en";
    public const string Japanese = "ja-JP";
    public const string Default = English;
    public const string CookieName = "Kuroco.Culture";

    public static IReadOnlyList<string> All { get; } = [English, Japanese];

    public static bool IsSupported(string? culture) =>
        culture is not null && All.Contains(culture, StringComparer.OrdinalIgnoreCase);
}
