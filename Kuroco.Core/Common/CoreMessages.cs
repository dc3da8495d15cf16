using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Common;

/// <summary>
/// Localized messages of the domain rules (Resources/CoreMessages.resx and .ja.resx), read in the
/// current UI culture, so validation errors reach the user in English or Japanese.
/// </summary>
public static class CoreMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.CoreMessages", typeof(CoreMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
