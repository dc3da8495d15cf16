using System.Globalization;
using System.Text;

namespace Kuroco.Core.Content;

/// <summary>
/// The slug suggested for a new item while its editor types the title (until they edit the slug by hand).
/// Pure: the English title in lower-case ASCII words joined by hyphens; else the Japanese title when it is
/// written in Latin letters; else a date with a number (<c>2026-12-06-1</c>). Japanese words are not
/// romanized: kana could be, but kanji need a reading dictionary and no maintained .NET library has one.
/// Every suggestion matches <see cref="ContentIdentifiers.Slug"/>; the save still refuses a slug that another
/// item of the type uses (the service's rule), so a suggestion only has to avoid the slugs the caller knows.
/// </summary>
public static class ContentSlugs
{
    /// <summary>Longest suggestion: a readable URL, well inside <see cref="ContentItem.SlugMaxLength"/>.</summary>
    public const int SuggestionMaxLength = 80;

    /// <summary>Latin letters that do not decompose into an ASCII letter and a mark.</summary>
    private static readonly Dictionary<char, string> Letters = new()
    {
        ['ß'] = "ss", ['æ'] = "ae", ['œ'] = "oe", ['ø'] = "o", ['ł'] = "l", ['đ'] = "d", ['ð'] = "d", ['þ'] = "th", ['ı'] = "i",
    };

    /// <summary>
    /// The suggestion for titles <paramref name="englishTitle"/> and <paramref name="japaneseTitle"/>, written on
    /// <paramref name="today"/> (in the editor's time zone). <paramref name="taken"/>: slugs the caller knows to be
    /// used; a title slug in it gets <c>-2</c>, <c>-3</c>, …, and the date slug takes the first free number.
    /// </summary>
    public static string Suggest(string? englishTitle, string? japaneseTitle, DateOnly today, IReadOnlySet<string>? taken = null)
    {
        taken ??= new HashSet<string>(StringComparer.Ordinal);
        if ((FromText(englishTitle, latinOnly: false) ?? FromText(japaneseTitle, latinOnly: true)) is { } fromTitle)
        {
            return FirstFree(fromTitle, taken);
        }
        return FirstFree(DatePrefix(today), taken, numbered: true);
    }

    /// <summary>The date part of a date slug (<c>2026-12-06</c>): the caller looks up the slugs starting with it.</summary>
    public static string DatePrefix(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Whether <see cref="Suggest"/> falls back to the date for these titles (no Latin words in either).</summary>
    public static bool NeedsDate(string? englishTitle, string? japaneseTitle) =>
        FromText(englishTitle, latinOnly: false) is null && FromText(japaneseTitle, latinOnly: true) is null;

    /// <summary>
    /// <paramref name="text"/> as a slug: accents dropped (é → e), full-width forms folded (ＡＢＣ → abc), apostrophes
    /// removed inside words, every other run of characters a single hyphen, cut at a hyphen to
    /// <see cref="SuggestionMaxLength"/>. Null when nothing is left, or when <paramref name="latinOnly"/> and the
    /// text has letters of another script (a slug of only its Latin bits would misname it).
    /// </summary>
    public static string? FromText(string? text, bool latinOnly)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var slug = new StringBuilder(text.Length);
        var pendingHyphen = false;
        foreach (var rune in text.Normalize(NormalizationForm.FormKD).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark || rune.Value is '\'' or '’')
            {
                continue; // café → cafe, editor's → editors
            }
            var c = Rune.ToLowerInvariant(rune);
            var piece = c.Value is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c.ToString()
                : c.IsBmp ? Letters.GetValueOrDefault((char)c.Value) : null;
            if (piece is null)
            {
                if (latinOnly && Rune.IsLetter(c))
                {
                    return null;
                }
                pendingHyphen = slug.Length > 0;
                continue;
            }
            if (pendingHyphen)
            {
                slug.Append('-');
                pendingHyphen = false;
            }
            slug.Append(piece);
        }
        return slug.Length == 0 ? null : Cut(slug.ToString(), SuggestionMaxLength);
    }

    /// <summary>
    /// <paramref name="slug"/>, else the first of <c>slug-2</c>, <c>slug-3</c>, … not in <paramref name="taken"/>;
    /// <paramref name="numbered"/>: always with a number, from <c>slug-1</c>.
    /// </summary>
    public static string FirstFree(string slug, IReadOnlySet<string> taken, bool numbered = false)
    {
        ArgumentNullException.ThrowIfNull(slug);
        ArgumentNullException.ThrowIfNull(taken);
        if (!numbered && !taken.Contains(slug))
        {
            return slug;
        }
        for (var n = numbered ? 1 : 2; ; n++)
        {
            var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
            var candidate = Cut(slug, ContentItem.SlugMaxLength - suffix.Length) + suffix;
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>At most <paramref name="max"/> characters, cut after a whole word when there is one.</summary>
    private static string Cut(string slug, int max)
    {
        if (slug.Length <= max)
        {
            return slug;
        }
        var cut = slug[..max];
        var lastHyphen = cut.LastIndexOf('-');
        return (lastHyphen > 0 ? cut[..lastHyphen] : cut).TrimEnd('-');
    }
}
