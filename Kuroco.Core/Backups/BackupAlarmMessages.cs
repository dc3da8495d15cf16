using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Backups;

/// <summary>The backup alarm mail's texts (Resources/BackupAlarmMessages.resx and .ja.resx), in the recipient's language.</summary>
public static class BackupAlarmMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.BackupAlarmMessages", typeof(BackupAlarmMessages).Assembly);

    public static string FormatIn(CultureInfo culture, string key, params object?[] args) =>
        string.Format(culture, Resources.GetString(key, culture) ?? key, args);
}
