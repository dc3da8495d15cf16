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
}
