using System.Globalization;
using Kuroco.Core.Staff;

namespace Kuroco.Infrastructure.Backups;

/// <summary>How each part is compressed before it is encrypted.</summary>
public enum BackupCompression
{
    None,

    /// <summary>GZip at its fastest level (the default until 2026-12; generations written with it are still read).</summary>
    GZip,

    /// <summary>Brotli at quality 1: the default, both faster and smaller than gzip's fastest level (see <c>bench/README.md</c>).</summary>
    Brotli,
}

/// <summary>
/// Configuration section "Backups". Storage targets other than the local folder (S3) add their own settings to this
/// section; the engine resolves every registered <see cref="Kuroco.Core.Backups.IBackupStore"/>.
/// </summary>
public sealed class BackupOptions
{
    public const string SectionName = "Backups";

    public const int MinRetention = 1;
    public const int MaxRetention = 365;

    /// <summary>Folder of the local generations; empty means <c>{DataPath}/backups</c>, a relative path is under the data folder.</summary>
    public string? LocalPath { get; set; }

    /// <summary>Generations kept (1–365); the stored setting on /backups overrides it once saved.</summary>
    public int Retention { get; set; } = 5;

    /// <summary>Encrypt every part with AES-GCM (default on).</summary>
    public bool Encrypt { get; set; } = true;

    public BackupCompression Compression { get; set; } = BackupCompression.Brotli;

    /// <summary>
    /// The database part's own compression; empty means <see cref="Compression"/>. <c>None</c> keeps it uncompressed (still
    /// encrypted when <see cref="Encrypt"/>): a scoped restore then opens a 1 GB backup in about a third of the CPU time
    /// (no decompression), for a database part about twice as large (see <c>bench/README.md</c>, "Backups").
    /// </summary>
    public BackupCompression? DatabaseCompression { get; set; }

    /// <summary>
    /// The encryption key, base64 of 32 bytes. Empty: a key is generated once into <c>{DataPath}/keys/backup.key</c>
    /// (never into the backup folder). Keep a copy of it elsewhere: without it no generation can be read.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Local time ("HH:mm") the nightly backup starts.</summary>
    public string WindowStart { get; set; } = "02:00";

    /// <summary>Local time ("HH:mm") the nightly backup must have finished by.</summary>
    public string WindowEnd { get; set; } = "06:00";

    /// <summary>IANA time zone of the window.</summary>
    public string TimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>
    /// SQL Server only: a folder the SQL Server service can write and this app can read (the same path seen by both, e.g. a
    /// shared volume); <c>BACKUP DATABASE … TO DISK = '{path}/kuroco-{id}.bak' WITH COPY_ONLY</c> writes there.
    /// </summary>
    public string? SqlServerBackupPath { get; set; }

    public string ResolveLocalPath(string dataPath) =>
        string.IsNullOrWhiteSpace(LocalPath) ? Path.Combine(dataPath, "backups") : Path.GetFullPath(Path.Combine(dataPath, LocalPath));

    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>What is wrong with these settings (one line naming the setting), or null.</summary>
    public string? Problem()
    {
        if (Retention is < MinRetention or > MaxRetention)
        {
            return $"{SectionName}:Retention must be between {MinRetention} and {MaxRetention} (it is {Retention}).";
        }
        if (!TryParseTime(WindowStart, out var start) || !TryParseTime(WindowEnd, out var end))
        {
            return $"{SectionName}:WindowStart and {SectionName}:WindowEnd must be times as HH:mm (e.g. 02:00 and 06:00).";
        }
        if (start == end)
        {
            return $"{SectionName}:WindowStart and {SectionName}:WindowEnd must differ.";
        }
        if (!StaffTimeZones.IsValid(TimeZone))
        {
            return $"{SectionName}:TimeZone '{TimeZone}' is not a known IANA time zone (e.g. Asia/Tokyo).";
        }
        if (!Enum.IsDefined(Compression))
        {
            return $"{SectionName}:Compression must be None, GZip or Brotli.";
        }
        if (DatabaseCompression is { } database && !Enum.IsDefined(database))
        {
            return $"{SectionName}:DatabaseCompression must be None, GZip, Brotli or empty (the same as {SectionName}:Compression).";
        }
        if (!string.IsNullOrWhiteSpace(EncryptionKey) && !BackupKeyStore.TryDecode(EncryptionKey, out _))
        {
            return $"{SectionName}:EncryptionKey must be the base64 text of exactly 32 bytes (e.g. from `openssl rand -base64 32`).";
        }
        return null;
    }
}
