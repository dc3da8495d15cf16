using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Content;

/// <summary>Localized messages of the content rules (Resources/ContentMessages.resx and .ja.resx), in the current UI culture.</summary>
public static class ContentMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.ContentMessages", typeof(ContentMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    /// <summary>How a field of one content language is named in messages: its label in the UI language, then the content language ("Title (Japanese)").</summary>
    public static string FieldName(FieldDefinition field, string language)
    {
        ArgumentNullException.ThrowIfNull(field);
        return Format("Content.Item.FieldName", field.DisplayLabel(), Get("Content.Language." + language));
    }
}
