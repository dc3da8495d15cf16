using Kuroco.Core.Content;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Components.Pages.Content.Components;

/// <summary>
/// The confirmation asked before publishing or unpublishing one item: it names the item and the languages that go
/// live (those with values) or come down (those published).
/// </summary>
internal static class PublishWording
{
    /// <summary>"Japanese and English", "Japanese", … in the UI language.</summary>
    public static string Languages(IStringLocalizer<ContentResource> l, IReadOnlyList<string> languages)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(languages);
        var names = languages.Select(language => l[language == ContentLanguages.Japanese ? "Japanese" : "English"].Value).ToList();
        return names.Count switch
        {
            0 => "",
            1 => names[0],
            _ => l["{0} and {1}", string.Join(l["ListSeparator"].Value, names.SkipLast(1)), names[^1]].Value,
        };
    }

    /// <summary>Title and message of the publish confirmation; <paramref name="languages"/>: the languages with values.</summary>
    public static (string Title, string Message) Publish(IStringLocalizer<ContentResource> l, string itemTitle, IReadOnlyList<string> languages)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(languages);
        if (languages.Count == 0)
        {
            return (l["Publish “{0}”?", itemTitle], l["It has no values in either language yet."]);
        }
        var names = Languages(l, languages);
        var message = l["Websites can read it in {0} as soon as it is published.", names].Value;
        var missing = ContentLanguages.All.Except(languages).ToList();
        if (missing.Count > 0)
        {
            message += " " + l["{0} has no values, so it is not published.", Languages(l, missing)].Value;
        }
        return (l["Publish “{0}” in {1}?", itemTitle, names], message);
    }

    /// <summary>Title and message of the unpublish confirmation; <paramref name="languages"/>: the languages published now.</summary>
    public static (string Title, string Message) Unpublish(IStringLocalizer<ContentResource> l, string itemTitle, IReadOnlyList<string> languages)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(languages);
        var names = Languages(l, languages.Count > 0 ? languages : ContentLanguages.All);
        return (l["Take “{0}” down in {1}?", itemTitle, names], l["Websites stop showing it in {0}; it becomes a draft again (publish it again at any time).", names]);
    }
}
