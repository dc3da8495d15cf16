using System.ComponentModel.DataAnnotations;

namespace Kuroco.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Configuration section "Database". The connection string is ConnectionStrings:Kuroco.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "Kuroco";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up (default on).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

/// <summary>Configuration section "Storage": where the app keeps its files (SQLite database, job store, later backups and media).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>
    /// Folder of the audit anchor and retention checkpoint (<c>anchor.json</c>, <c>checkpoint.json</c>), kept outside the
    /// database; empty means <c>{DataPath}/audit</c>, a relative path is under the data folder. In production point it at
    /// storage that those with database access cannot write.
    /// </summary>
    public string? AuditAnchorPath { get; set; }

    /// <summary>The audit anchor folder as an absolute path (call after <see cref="DataPath"/> is resolved).</summary>
    public string ResolveAuditAnchorPath() =>
        string.IsNullOrWhiteSpace(AuditAnchorPath) ? Path.Combine(DataPath, "audit") : Path.GetFullPath(Path.Combine(DataPath, AuditAnchorPath));

    /// <summary>The data folder as an absolute path (relative paths are under the content root).</summary>
    public string ResolveDataPath(string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(DataPath) ? DataPath : Path.Combine(contentRoot, DataPath));
}
