using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Backups;

/// <summary>Localized messages of maintenance mode and the full restore (Resources/FullRestoreMessages.resx and .ja.resx), in the current UI culture.</summary>
public static class FullRestoreMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.FullRestoreMessages", typeof(FullRestoreMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
