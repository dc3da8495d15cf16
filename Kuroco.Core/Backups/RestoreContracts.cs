using Kuroco.Core.Common;

namespace Kuroco.Core.Backups;

/// <summary>What a restore request asks to bring back.</summary>
public enum RestoreTargetKind
{
    /// <summary>One member by id, with group memberships and custom field values.</summary>
    Member,

    /// <summary>A member group by id, with its members.</summary>
    MemberGroup,

    /// <summary>Every content item of a content type (by the type's key), with versions and the media they use.</summary>
    ContentType,

    /// <summary>One content item by id, with its versions and the media it uses.</summary>
    ContentItem,

    /// <summary>One media item by id, with its file.</summary>
    MediaItem,
}

/// <summary>One thing to restore: <see cref="Key"/> is the id (Guid as text) or, for a content type, its key.</summary>
public sealed record RestoreTarget(RestoreTargetKind Kind, string Key);

/// <summary>The scope of a scoped restore: one or more targets.</summary>
public sealed record RestoreScope(IReadOnlyList<RestoreTarget> Targets);

/// <summary>What applying would do to one record.</summary>
public enum RestoreChangeKind
{
    /// <summary>Not in live data: it will be added.</summary>
    Add,

    /// <summary>In live data with different values: the listed fields will be overwritten.</summary>
    Overwrite,

    /// <summary>Identical in live data: nothing to do.</summary>
    Unchanged,

    /// <summary>Cannot be applied as is (e.g. the email now belongs to another member, the slug is taken): needs a resolution.</summary>
    Conflict,
}

/// <summary>How staff resolve a conflict.</summary>
public enum ConflictResolution
{
    KeepLive,
    TakeBackup,
    Rename,
}

/// <summary>One field that differs: live value and backup value as display text.</summary>
public sealed record RestoreFieldChange(string Field, string? Live, string? Backup);

/// <summary>
/// One record of the preview. <see cref="RecordKey"/> is unique in the preview ("member:{id}", "content-version:{id}");
/// <see cref="ParentKey"/> ties dependants to the record they belong to. <see cref="ConflictCode"/> is a code pages
/// localize ("email-taken", "slug-taken", ...).
/// </summary>
public sealed record RestoreRecordDiff(
    string RecordKey,
    string EntityType,
    string EntityId,
    string DisplayName,
    RestoreChangeKind Change,
    IReadOnlyList<RestoreFieldChange> Fields,
    string? ParentKey,
    string? ConflictCode,
    string? ConflictDetail);

/// <summary>The extracted records of a scope compared with live data.</summary>
public sealed record RestorePreview(string GenerationId, RestoreScope Scope, DateTimeOffset ExtractedAtUtc, IReadOnlyList<RestoreRecordDiff> Records);

/// <summary>What an apply did.</summary>
public sealed record RestoreApplySummary(int Added, int Overwritten, int Unchanged, int KeptLive, int Renamed, IReadOnlyList<string> RestoredRecordKeys);

/// <summary>
/// Extracts a scope from an opened backup and compares it with live data, and applies it in one transaction (an audit
/// entry per restored record, webhooks and cache eviction as for any change). Implemented in
/// Kuroco.Infrastructure/Backups/ScopedRestore.
/// </summary>
public interface IScopedRestoreService
{
    Task<Result<RestorePreview>> PreviewAsync(IBackupSnapshot snapshot, RestoreScope scope, CancellationToken cancellationToken);

    /// <summary>
    /// Re-extracts the scope from <paramref name="snapshot"/>, refuses (<see cref="ErrorKind.PreconditionFailed"/>) when
    /// live data changed since <paramref name="preview"/>, requires a resolution for every conflict, and applies.
    /// <paramref name="reference"/> (the request's reference number) goes into each audit entry.
    /// </summary>
    Task<Result<RestoreApplySummary>> ApplyAsync(
        IBackupSnapshot snapshot,
        RestorePreview preview,
        IReadOnlyDictionary<string, ConflictResolution> resolutions,
        string reference,
        CancellationToken cancellationToken);
}
