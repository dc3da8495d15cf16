using System.Text.Json.Serialization;
using Kuroco.Core.Common;

namespace Kuroco.Core.Backups;

/// <summary>Why a backup was taken.</summary>
public enum BackupTrigger
{
    /// <summary>The nightly recurring job, inside the backup window.</summary>
    Nightly,

    /// <summary>"Back up now" on /backups.</summary>
    Manual,

    /// <summary>Taken by a full restore before it overwrites the live system.</summary>
    Safety,
}

/// <summary>Where a generation is stored.</summary>
public enum BackupLocation
{
    /// <summary>The data folder (or the folder set as Backups:LocalPath).</summary>
    Local,

    /// <summary>An S3-compatible object store.</summary>
    S3,
}

/// <summary>
/// One part of a generation as stored: <see cref="Name"/> is the object name inside the generation
/// ("database.db", "jobs.db", "media.tar", "audit-anchor.json"); <see cref="Length"/> and <see cref="Sha256"/> describe the
/// plain bytes, <see cref="StoredLength"/> and <see cref="StoredSha256"/> the compressed and encrypted object.
/// <see cref="Compression"/> is set only when this part was compressed otherwise than the manifest says for the generation
/// ("none" for a database kept uncompressed so a scoped restore opens it fast; null: the generation's compression).
/// </summary>
public sealed record BackupPart(
    string Name, string Kind, long Length, string Sha256, long StoredLength, string StoredSha256,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Compression = null);

/// <summary>Well-known <see cref="BackupPart.Kind"/> values.</summary>
public static class BackupPartKinds
{
    public const string Database = "database";
    public const string JobStore = "jobs";
    public const string Media = "media";
    public const string AuditAnchor = "audit-anchor";
}

/// <summary>
/// What a generation holds, written last (as <c>manifest.json</c>) so a generation without one is never shown as
/// valid. <see cref="Id"/> sorts by time ("20261206T170000Z-3f2a").
/// </summary>
public sealed record BackupManifest(
    string Id,
    int FormatVersion,
    BackupTrigger Trigger,
    DateTimeOffset StartedAtUtc,
    DateTimeOffset CompletedAtUtc,
    string AppVersion,
    string DatabaseProvider,
    string? LastMigrationId,
    IReadOnlyDictionary<string, long> RowCounts,
    IReadOnlyList<BackupPart> Parts,
    bool Encrypted,
    string? KeyId,
    string Compression)
{
    public long StoredBytes => Parts.Sum(p => p.StoredLength);

    public TimeSpan Duration => CompletedAtUtc - StartedAtUtc;
}

/// <summary>The outcome of a restore drill (the newest generation restored into a scratch database and checked).</summary>
public sealed record BackupDrillResult(string GenerationId, DateTimeOffset RanAtUtc, bool Passed, TimeSpan Duration, string? Problem);

/// <summary>
/// The last check of a generation's checksums (every part re-read and compared with the manifest; the database copy
/// integrity-checked and its rows counted), kept beside the manifest as <c>verify.json</c> so it travels with the
/// generation. <see cref="Source"/> is "backup" (the check before commit) or "verify" (the Verify button);
/// <see cref="FailedPart"/> names the part that failed ("database.db", ...), null when it passed or no part was to blame.
/// </summary>
public sealed record BackupVerification(DateTimeOffset VerifiedAtUtc, bool Passed, string Source, string? FailedPart, string? Problem)
{
    public const string ByBackup = "backup";
    public const string ByVerify = "verify";
}

/// <summary>
/// A generation as listed on /backups. <see cref="LastVerification"/> is the stored outcome of the last checksum check
/// (a failed check on any storage wins over a passed one), null for a generation written before it was kept.
/// </summary>
public sealed record BackupGeneration(
    BackupManifest Manifest,
    IReadOnlyList<BackupLocation> Locations,
    BackupDrillResult? LastDrill,
    BackupVerification? LastVerification = null);

/// <summary>
/// Optional for the progress given to <see cref="IBackupService.BackUpAsync"/>: told when one storage target failed
/// (S3 down) while the generation was committed to another one (Backups:Storage=Both). The run still succeeds; the
/// failure is audited (backup.store-failed) and the caller records it on the run ("partial:S3").
/// </summary>
public interface IBackupStoreFailureObserver
{
    void StoreFailed(BackupLocation location, string message);
}

/// <summary>
/// Progress of a long backup or restore: <see cref="Step"/> is a code ("snapshot", "jobs", "media", "upload", "verify",
/// "retention", ...) that pages localize; <see cref="Fraction"/> is 0..1 of the whole run.
/// </summary>
public sealed record BackupProgress(string Step, double Fraction);

/// <summary>Takes, lists and verifies backups. Implemented in Kuroco.Infrastructure/Backups.</summary>
public interface IBackupService
{
    /// <summary>
    /// Takes a full backup now: consistent online snapshot of the database, the job store, the media files and the audit
    /// anchor; compressed, encrypted, written under a temporary name, verified, then committed; then retention.
    /// Fails with <see cref="ErrorKind.Conflict"/> when another backup is running. Audited.
    /// </summary>
    Task<Result<BackupManifest>> BackUpAsync(BackupTrigger trigger, IProgress<BackupProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Committed generations, newest first, from every configured storage.</summary>
    Task<IReadOnlyList<BackupGeneration>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Re-reads every part of a generation and compares sizes and SHA-256 with the manifest.</summary>
    Task<Result> VerifyAsync(string generationId, CancellationToken cancellationToken);
}

/// <summary>
/// Opens a generation for reading: its parts are decrypted and decompressed into a temporary folder that is deleted when
/// the snapshot is disposed (also after a failure).
/// </summary>
public interface IBackupSnapshotOpener
{
    Task<Result<IBackupSnapshot>> OpenAsync(string generationId, CancellationToken cancellationToken);
}

/// <summary>A decrypted generation on local disk, deleted on dispose.</summary>
public interface IBackupSnapshot : IAsyncDisposable
{
    BackupManifest Manifest { get; }

    /// <summary>The SQLite database copy (a temporary file; open it read-only). Null for a SQL Server backup.</summary>
    string? DatabasePath { get; }

    /// <summary>The Hangfire job store copy (SQLite), when the backup has one.</summary>
    string? JobStorePath { get; }

    /// <summary>The audit anchor file's text as it was at backup time, when there was one.</summary>
    string? AuditAnchorJson { get; }

    /// <summary>
    /// A media file as it was at backup time, by its path relative to the media folder (as MediaFileStore names it), or
    /// null when the backup does not have it.
    /// </summary>
    Task<Stream?> OpenMediaFileAsync(string relativePath, CancellationToken cancellationToken);
}

/// <summary>
/// One storage target for generations (local folder, S3 bucket). Stores opaque objects (already compressed and
/// encrypted by the backup service). A generation is visible to <see cref="ListAsync"/> only after
/// <see cref="IBackupUpload.CommitAsync"/> (local: a temporary folder renamed into place; S3: the manifest object written
/// last).
/// </summary>
public interface IBackupStore
{
    BackupLocation Location { get; }

    /// <summary>Ids of committed generations (any order).</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Starts writing a generation under a temporary name. Disposing without commit removes what was written.</summary>
    Task<IBackupUpload> BeginAsync(string generationId, CancellationToken cancellationToken);

    /// <summary>Reads one object of a committed generation.</summary>
    Task<Stream> OpenReadAsync(string generationId, string objectName, CancellationToken cancellationToken);

    /// <summary>Writes (replaces) a small side object of a committed generation, e.g. "drill.json".</summary>
    Task WriteSideObjectAsync(string generationId, string objectName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Reads a side object, or null when there is none.</summary>
    Task<byte[]?> ReadSideObjectAsync(string generationId, string objectName, CancellationToken cancellationToken);

    /// <summary>Deletes a committed generation.</summary>
    Task DeleteAsync(string generationId, CancellationToken cancellationToken);

    /// <summary>Removes leftovers of runs that never committed (crash, kill -9); returns how many were removed.</summary>
    Task<int> CleanUpIncompleteAsync(CancellationToken cancellationToken);
}

/// <summary>A generation being written; see <see cref="IBackupStore.BeginAsync"/>.</summary>
public interface IBackupUpload : IAsyncDisposable
{
    /// <summary>A write stream for one object; dispose it to finish the object.</summary>
    Task<Stream> CreateAsync(string objectName, CancellationToken cancellationToken);

    /// <summary>Reads back an object written in this upload (for verification before commit).</summary>
    Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken);

    /// <summary>Makes the generation visible atomically; the manifest object must have been written.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
