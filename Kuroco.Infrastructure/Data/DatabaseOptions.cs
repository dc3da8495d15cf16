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

    /// <summary>The data folder as an absolute path (relative paths are under the content root).</summary>
    public string ResolveDataPath(string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(DataPath) ? DataPath : Path.Combine(contentRoot, DataPath));
}
