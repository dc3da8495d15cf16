using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Monitoring;

/// <summary>Localized texts of the monitoring rules and alert notices (Resources/MonitoringMessages(.ja).resx).</summary>
public static class MonitoringMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.MonitoringMessages", typeof(MonitoringMessages).Assembly);

    public static string Get(string key) => GetIn(CultureInfo.CurrentUICulture, key);

    public static string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    public static string GetIn(CultureInfo culture, string key) => Resources.GetString(key, culture) ?? key;

    public static string FormatIn(CultureInfo culture, string key, params object?[] args) =>
        string.Format(culture, GetIn(culture, key), args);
}
