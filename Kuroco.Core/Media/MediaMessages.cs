using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Media;

/// <summary>Localized messages of the media library (Resources/MediaMessages.resx and .ja.resx), in the current UI culture.</summary>
public static class MediaMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.MediaMessages", typeof(MediaMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    public static string For(MediaRejection rejection, long maxBytes = 0) => rejection switch
    {
        MediaRejection.Empty => Get("Media.Empty"),
        MediaRejection.SvgNotAllowed => Get("Media.SvgNotAllowed"),
        MediaRejection.MarkupNotAllowed => Get("Media.MarkupNotAllowed"),
        MediaRejection.TextNotUtf8 => Get("Media.TextNotUtf8"),
        MediaRejection.DamagedImage => Get("Media.DamagedImage"),
        MediaRejection.TooLarge => Format("Media.TooLarge", FormatSize(maxBytes)),
        _ => Get("Media.TypeNotAllowed"),
    };

    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.CurrentCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB"),
        >= 1024 => string.Create(CultureInfo.CurrentCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.CurrentCulture, $"{bytes} B"),
    };
}
