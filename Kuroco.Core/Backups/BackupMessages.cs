using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Backups;

/// <summary>Localized messages of the backup engine (Resources/BackupMessages.resx and .ja.resx).</summary>
public static class BackupMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.BackupMessages", typeof(BackupMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
