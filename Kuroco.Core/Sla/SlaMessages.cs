using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Sla;

/// <summary>The SLA feature's texts (Resources/SlaMessages(.ja).resx): validation errors, refusals, the monthly report mail.</summary>
public static class SlaMessages
{
    private static readonly ResourceManager Resources = new("Kuroco.Core.Resources.SlaMessages", typeof(SlaMessages).Assembly);

    public static string Get(string key) => GetIn(CultureInfo.CurrentUICulture, key);

    public static string GetIn(CultureInfo culture, string key) => Resources.GetString(key, culture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    public static string FormatIn(CultureInfo culture, string key, params object?[] args) =>
        string.Format(culture, GetIn(culture, key), args);
}
