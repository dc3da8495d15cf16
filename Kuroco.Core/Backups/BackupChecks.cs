using Kuroco.Core.Common;

namespace Kuroco.Core.Backups;

/// <summary>
/// The weekly restore drill's results and "Run drill now". Implemented in Kuroco.Infrastructure/Backups/Drill.
/// </summary>
public interface IBackupDrills
{
    /// <summary>The latest drill of each generation that had one, by generation id.</summary>
    Task<IReadOnlyDictionary<string, BackupDrillResult>> GetLatestByGenerationAsync(CancellationToken cancellationToken);

    /// <summary>Queues a drill of the newest generation now. Audited.</summary>
    Task<Result> RequestAsync(CancellationToken cancellationToken);
}

/// <summary>A night's backup alarm as stored (raised once per night).</summary>
public sealed record BackupAlarmRecord(DateOnly Night, BackupAlarmKind Kind, DateTimeOffset WindowEndUtc, DateTimeOffset RaisedAtUtc);

/// <summary>The backup alarm shown on the dashboard. Implemented in Kuroco.Infrastructure/Backups/Alarm.</summary>
public interface IBackupAlarms
{
    /// <summary>The alarm of the last checked night when that night had one (raised within the last day), else null.</summary>
    Task<BackupAlarmRecord?> GetCurrentAsync(CancellationToken cancellationToken);
}
