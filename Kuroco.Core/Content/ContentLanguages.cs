using System.Globalization;

namespace Kuroco.Core.Content;

/// <summary>The content languages and the settings that choose the primary and fallback language.</summary>
public static class ContentLanguages
{
    public const string Japanese = "ja";
    public const string English = "en";

    public static IReadOnlyList<string> All { get; } = [Japanese, English];

    public static bool IsSupported(string? language) => language is Japanese or English;

    /// <summary>The content language matching the current UI culture: Japanese for a Japanese console, else English.</summary>
    public static string UiLanguage => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == Japanese ? Japanese : English;

    /// <summary>The other content language.</summary>
    public static string Other(string language) => language == English ? Japanese : English;
}

/// <summary>Settings of the content feature (<c>Kuroco:Content</c>).</summary>
public sealed class ContentOptions
{
    public const string SectionName = "Kuroco:Content";

    /// <summary>The language every required field must be filled in ("ja" or "en").</summary>
    public string DefaultLanguage { get; set; } = ContentLanguages.Japanese;

    /// <summary>The language shown when an item has no variant in the requested one ("ja", "en" or empty for none).</summary>
    public string? FallbackLanguage { get; set; } = ContentLanguages.Japanese;

    /// <summary>Days a deleted item stays in the trash before the purge job removes it.</summary>
    public int TrashRetentionDays { get; set; } = 30;

    public string Primary => ContentLanguages.IsSupported(DefaultLanguage) ? DefaultLanguage : ContentLanguages.Japanese;

    /// <summary>
    /// The language whose values answer a request for <paramref name="requested"/>: that language when
    /// the item has it, else the fallback when the item has that, else null.
    /// </summary>
    public string? Resolve(string requested, bool hasJa, bool hasEn)
    {
        bool Has(string l) => l == ContentLanguages.English ? hasEn : l == ContentLanguages.Japanese && hasJa;
        if (ContentLanguages.IsSupported(requested) && Has(requested))
        {
            return requested;
        }
        return ContentLanguages.IsSupported(FallbackLanguage) && Has(FallbackLanguage!) ? FallbackLanguage : null;
    }
}
