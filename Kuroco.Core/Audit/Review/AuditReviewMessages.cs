using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Audit.Review;

/// <summary>Localized messages of the monthly review's rules (Resources/AuditReviewMessages.resx and .ja.resx).</summary>
public static class AuditReviewMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.AuditReviewMessages", typeof(AuditReviewMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    /// <summary>In a given culture (a mail in its recipient's language), whatever the current one.</summary>
    public static string FormatIn(CultureInfo culture, string key, params object?[] args) =>
        string.Format(culture, Resources.GetString(key, culture) ?? key, args);
}
