namespace Kuroco.Infrastructure.Members;

/// <summary>Settings of member import and export under Kuroco:Members.</summary>
public sealed class MemberDataOptions
{
    public const string SectionName = "Kuroco:Members";

    public const long DefaultImportMaxBytes = 50L * 1024 * 1024;

    /// <summary>Largest CSV file an import accepts. Default 50 MiB (about 500,000 rows of a typical member list).</summary>
    public long ImportMaxBytes { get; set; } = DefaultImportMaxBytes;

    /// <summary>Days an import's uploaded file and report are kept when it is not applied (or after it was). Default 7.</summary>
    public int ImportRetentionDays { get; set; } = 7;

    /// <summary>Minutes without progress after which a running apply counts as stopped and may be resumed from the page. Default 2.</summary>
    public int ImportStallMinutes { get; set; } = 2;

    public bool IsValid() => ImportMaxBytes is >= 1024 and <= 2L * 1024 * 1024 * 1024
        && ImportRetentionDays is >= 1 and <= 365
        && ImportStallMinutes is >= 1 and <= 24 * 60;
}
