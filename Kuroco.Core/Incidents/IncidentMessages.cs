using System.Globalization;
using System.Resources;
using Kuroco.Core.Monitoring;

namespace Kuroco.Core.Incidents;

/// <summary>The incident feature's texts (Resources/IncidentMessages(.ja).resx): errors, step and cause names, notice mails.</summary>
public static class IncidentMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.IncidentMessages", typeof(IncidentMessages).Assembly);

    public static string Get(string key) => GetIn(CultureInfo.CurrentUICulture, key);

    public static string GetIn(CultureInfo culture, string key) => Resources.GetString(key, culture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    public static string FormatIn(CultureInfo culture, string key, params object?[] args) =>
        string.Format(culture, GetIn(culture, key), args);

    /// <summary>"① Detected" / "① 障害発見".</summary>
    public static string StepName(IncidentStep step) => StepNameIn(CultureInfo.CurrentUICulture, step);

    public static string StepNameIn(CultureInfo culture, IncidentStep step) => GetIn(culture, "Step." + step);

    public static string CauseName(IncidentCause cause) => Get("Cause." + cause);

    public static string SeverityName(AlertSeverity severity) => Get("Severity." + severity);

    public static string ComponentName(string code) => ComponentNameIn(CultureInfo.CurrentUICulture, code);

    public static string ComponentNameIn(CultureInfo culture, string code) => GetIn(culture, "Component." + code);

    /// <summary>
    /// What an incident opened from an alert stores as its public title: a key rendered at display time in the reader's
    /// language (<see cref="PublicTitleIn"/>), so the English status page reads English and the Japanese one Japanese.
    /// </summary>
    public const string AlertPublicTitleKey = "{alert-public-title}";

    /// <summary>A stored public title as <paramref name="culture"/> reads it: the alert's standard title in that language, else as stored.</summary>
    public static string PublicTitleIn(CultureInfo culture, string stored)
    {
        ArgumentNullException.ThrowIfNull(culture);
        // Before the key, alert-opened incidents stored both languages in one string ("ja / en").
        var legacy = GetIn(CultureInfo.GetCultureInfo("ja-JP"), "Alert.PublicTitle") + " / " + GetIn(CultureInfo.GetCultureInfo("en"), "Alert.PublicTitle");
        return stored == AlertPublicTitleKey || stored == legacy ? GetIn(culture, "Alert.PublicTitle") : stored;
    }

    /// <summary>A stored public title in the current UI culture.</summary>
    public static string PublicTitle(string stored) => PublicTitleIn(CultureInfo.CurrentUICulture, stored);
}
