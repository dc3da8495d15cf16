using Kuroco.Core.Common;

namespace Kuroco.Core.Members;

/// <summary>Where a CSV import stands.</summary>
public enum MemberImportStatus
{
    /// <summary>The file is stored; the encoding and the column mapping are being chosen.</summary>
    Uploaded = 0,
    DryRunQueued = 1,
    DryRunning = 2,

    /// <summary>The dry-run report is ready; nothing was written yet. Apply, or change the settings and check again.</summary>
    DryRunDone = 3,
    ApplyQueued = 4,

    /// <summary>Batches are being written (<see cref="MemberImport.LastCommittedBatch"/> says how far); resumable.</summary>
    Applying = 5,
    Completed = 6,

    /// <summary>Stopped by an error (<see cref="MemberImport.Error"/>). A failed apply can be resumed.</summary>
    Failed = 7,

    /// <summary>Given up by staff, or its file expired before it was applied.</summary>
    Discarded = 8,
}

/// <summary>What happens to a row whose email already belongs to a member.</summary>
public enum MemberImportExisting
{
    /// <summary>The member is left as it is (the row is reported as skipped).</summary>
    Skip = 0,

    /// <summary>The member's mapped fields are overwritten with the row's non-empty cells and the listed groups are added.</summary>
    Update = 1,
}

/// <summary>The member field a CSV column fills.</summary>
public enum MemberImportTarget
{
    Ignore = 0,
    Email = 1,
    DisplayName = 2,
    NameKana = 3,
    Language = 4,

    /// <summary>Group names (Japanese or English), several separated by <see cref="MemberImportSettings.GroupDelimiter"/>.</summary>
    Groups = 5,

    /// <summary>A custom profile field, named by <see cref="MemberImportColumn.FieldKey"/>.</summary>
    Profile = 6,
}

/// <summary>One column of the file: its position, its header text and the field it fills.</summary>
public sealed record MemberImportColumn(int Index, string Header, MemberImportTarget Target, string? FieldKey = null);

/// <summary>How a file is read and applied; chosen on the import page before the dry run.</summary>
public sealed record MemberImportSettings
{
    public const string DefaultGroupDelimiter = ";";

    public CsvEncoding Encoding { get; init; }

    public MemberImportExisting Existing { get; init; } = MemberImportExisting.Skip;

    /// <summary>Mail an invitation to every member the import creates (through <see cref="IMemberAccountActions"/>).</summary>
    public bool SendInvitations { get; init; }

    /// <summary>Separates several groups (and several choices of a multiple-choice field) in one cell. One character, not a comma or quote.</summary>
    public string GroupDelimiter { get; init; } = DefaultGroupDelimiter;

    public IReadOnlyList<MemberImportColumn> Columns { get; init; } = [];
}

/// <summary>
/// One CSV import of members: its stored file (under the data folder's own imports folder, named after <see cref="Id"/>;
/// never a path a user chose), its settings, its progress and its outcome. The row is also the job's state: each applied
/// batch moves <see cref="LastCommittedBatch"/> in the same transaction as the batch's members, so a job that was killed
/// continues with the next batch and never writes a row twice or half.
/// </summary>
public sealed class MemberImport
{
    public const int FileNameMaxLength = 255;
    public const int ErrorMaxLength = 2000;
    public const int ActorNameMaxLength = 256;
    public const int ActorRolesMaxLength = 400;

    /// <summary>At most this many rows are written in one transaction.</summary>
    public const int BatchSize = 1000;

    /// <summary>Most data rows one file may hold.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Rows shown in the preview.</summary>
    public const int PreviewRows = 10;

    public Guid Id { get; set; }

    /// <summary>The uploaded file's name, sanitized: for display and the audit log only.</summary>
    public string FileName { get; set; } = "";

    public long SizeBytes { get; set; }

    public CsvEncoding DetectedEncoding { get; set; }

    public bool HasBom { get; set; }

    public CsvEncoding Encoding { get; set; }

    public MemberImportExisting Existing { get; set; }

    public bool SendInvitations { get; set; }

    public string GroupDelimiter { get; set; } = MemberImportSettings.DefaultGroupDelimiter;

    public List<MemberImportColumn> Columns { get; set; } = [];

    public MemberImportStatus Status { get; set; }

    /// <summary>Data rows in the file (known after the first pass of a dry run).</summary>
    public int TotalRows { get; set; }

    /// <summary>Rows the running phase has handled so far (the progress bar).</summary>
    public int ProcessedRows { get; set; }

    /// <summary>The last batch (0-based) whose rows are committed; -1 before the first.</summary>
    public int LastCommittedBatch { get; set; } = -1;

    public int DryRunCreate { get; set; }
    public int DryRunUpdate { get; set; }
    public int DryRunSkip { get; set; }
    public int DryRunRefused { get; set; }

    public int Created { get; set; }
    public int Updated { get; set; }
    public int Skipped { get; set; }
    public int Refused { get; set; }

    /// <summary>Invitations queued for created members (when <see cref="SendInvitations"/>).</summary>
    public int InvitationsQueued { get; set; }

    /// <summary>Why the import failed (shown to staff; never personal data).</summary>
    public string? Error { get; set; }

    /// <summary>The staff member who last started a step: the import's audit entries name them, also when a job writes them.</summary>
    public string? ActorId { get; set; }
    public string ActorName { get; set; } = "";
    public string ActorRoles { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Changes with every step and every batch: a running job that stops moving it is stale and may be resumed.</summary>
    public DateTime UpdatedAtUtc { get; set; }

    public DateTime? DryRunAtUtc { get; set; }
    public DateTime? ApplyStartedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }

    /// <summary>When the uploaded file and the report were removed (after the apply, or after the retention period).</summary>
    public DateTime? FilesDeletedAtUtc { get; set; }

    /// <summary>Changes with every step staff start (two clicks on one state: the second is refused).</summary>
    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();

    public bool IsRunning => Status is MemberImportStatus.DryRunQueued or MemberImportStatus.DryRunning
        or MemberImportStatus.ApplyQueued or MemberImportStatus.Applying;

    /// <summary>The settings as last chosen.</summary>
    public MemberImportSettings Settings => new()
    {
        Encoding = Encoding,
        Existing = Existing,
        SendInvitations = SendInvitations,
        GroupDelimiter = GroupDelimiter,
        Columns = Columns,
    };

    /// <summary>Rows of the file that belong to batch <paramref name="batch"/> (0-based data row indexes, end exclusive).</summary>
    public static (int Start, int End) BatchRange(int batch, int totalRows) =>
        (batch * BatchSize, Math.Min(totalRows, (batch + 1) * BatchSize));
}

/// <summary>A header the import has seen mapped to a field: suggested again the next time a file has that header.</summary>
public sealed class MemberImportHeaderMemory
{
    public const int HeaderMaxLength = 200;

    /// <summary><see cref="MemberText.Fold"/> of the header text.</summary>
    public string Header { get; set; } = "";

    public MemberImportTarget Target { get; set; }

    public string? FieldKey { get; set; }

    public DateTime UpdatedAtUtc { get; set; }
}

/// <summary>
/// An invitation an import owes a member it created: written in the batch's transaction, sent afterwards by a job
/// through <see cref="IMemberAccountActions"/>, so a crash loses none and sends none twice on purpose.
/// </summary>
public sealed class MemberImportInvitation
{
    public const int ErrorMaxLength = 1000;

    public Guid ImportId { get; set; }

    public Guid MemberId { get; set; }

    public DateTime? SentAtUtc { get; set; }

    /// <summary>Why the last try did not send it (e.g. registration closed); tried again only by a new import.</summary>
    public string? Error { get; set; }
}
