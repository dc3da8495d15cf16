using System.Globalization;

namespace Kuroco.Core.Audit.Review;

/// <summary>Where a monthly review stands. Stored as its number, so never renumber one.</summary>
public enum AuditReviewState
{
    /// <summary>The job is reading the month's entries.</summary>
    Preparing = 0,

    /// <summary>Prepared and mailed to the security officers; nobody has decided a finding yet.</summary>
    Ready = 1,

    /// <summary>An officer has decided at least one finding.</summary>
    InReview = 2,

    /// <summary>Signed off: read-only for good.</summary>
    Signed = 3,

    /// <summary>A later version of the same month replaced this unsigned one (read-only).</summary>
    Superseded = 4,

    /// <summary>The preparation failed (the log says why); "Prepare now" tries again.</summary>
    Failed = 5,
}

/// <summary>What a list shows: the stored state, with <see cref="Overdue"/> for a review left unsigned too long.</summary>
public enum AuditReviewStatus
{
    Preparing,
    Ready,
    InReview,
    Signed,
    Overdue,
    Superseded,
    Failed,
}

/// <summary>
/// The review of one calendar month of the audit log (in the company's time zone), prepared by a job and signed off by a
/// security officer. Re-preparing a month adds a new <see cref="Version"/>; a signed version is never changed again.
/// </summary>
public sealed class AuditReview
{
    public const int MonthLength = 7;
    public const int NameMaxLength = 256;
    public const string MonthFormat = "yyyy-MM";

    public int Id { get; set; }

    /// <summary>The month reviewed, "yyyy-MM".</summary>
    public string Month { get; set; } = "";

    /// <summary>1 for the first preparation of a month, then 2, 3… for each "Prepare now".</summary>
    public int Version { get; set; } = 1;

    public AuditReviewState State { get; set; }

    /// <summary>The zone the month's boundaries were taken in (the schedule zone at the time).</summary>
    public string TimeZoneId { get; set; } = "";

    public DateTime PeriodStartUtc { get; set; }
    public DateTime PeriodEndUtc { get; set; }

    /// <summary>The first and last sequence of the month's entries (null for an empty month).</summary>
    public long? FirstSequence { get; set; }
    public long? LastSequence { get; set; }
    public long EntryCount { get; set; }

    /// <summary>JSON array of <see cref="AuditReviewTotal"/>: entries per action and outcome.</summary>
    public string Totals { get; set; } = "[]";

    public DateTime CreatedAtUtc { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTime? PreparedAtUtc { get; set; }

    public DateTime? SignedAtUtc { get; set; }
    public string? SignedById { get; set; }
    public string? SignedByName { get; set; }

    /// <summary>The sign-off's own audit entry: its sequence and hash tie the signature into the chain.</summary>
    public long? SignOffSequence { get; set; }
    public string? SignOffHash { get; set; }

    /// <summary>When the overdue reminder was last mailed (at most once a day).</summary>
    public DateTime? LastReminderAtUtc { get; set; }
    public int ReminderCount { get; set; }

    public List<AuditFinding> Findings { get; set; } = [];

    /// <summary>Signed and superseded versions accept no change (decisions, sign-off).</summary>
    public bool IsReadOnly => State is AuditReviewState.Signed or AuditReviewState.Superseded or AuditReviewState.Preparing or AuditReviewState.Failed;

    /// <summary>True when the review waits for its sign-off and was prepared at least <paramref name="overdueDays"/> days before <paramref name="nowUtc"/>.</summary>
    public bool IsOverdue(DateTime nowUtc, int overdueDays) =>
        State is AuditReviewState.Ready or AuditReviewState.InReview
        && PreparedAtUtc is { } prepared && nowUtc >= prepared.AddDays(overdueDays);

    public AuditReviewStatus StatusAt(DateTime nowUtc, int overdueDays) => State switch
    {
        AuditReviewState.Preparing => AuditReviewStatus.Preparing,
        AuditReviewState.Signed => AuditReviewStatus.Signed,
        AuditReviewState.Superseded => AuditReviewStatus.Superseded,
        AuditReviewState.Failed => AuditReviewStatus.Failed,
        _ when IsOverdue(nowUtc, overdueDays) => AuditReviewStatus.Overdue,
        AuditReviewState.InReview => AuditReviewStatus.InReview,
        _ => AuditReviewStatus.Ready,
    };

    public static string FormatMonth(DateOnly firstDay) => firstDay.ToString(MonthFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads "yyyy-MM" (the route and the stored month); anything else is null.</summary>
    public static DateOnly? ParseMonth(string? value) =>
        value is { Length: MonthLength }
        && DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
}

/// <summary>Entries of one action and outcome in the reviewed month; <see cref="Area"/> is the action's prefix ("auth").</summary>
public sealed record AuditReviewTotal(string Area, string Action, AuditOutcome Outcome, long Count)
{
    public static string AreaOf(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var dot = action.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? action[..dot] : action;
    }
}

/// <summary>What a finding is about. Stored as its number, so never renumber one.</summary>
public enum AuditFindingKind
{
    FailedSignInBurstAccount = 1,
    FailedSignInBurstAddress = 2,
    Lockout = 3,
    NewSignInAddress = 4,
    OutsideBusinessHours = 5,
    RoleChange = 6,
    PasswordPolicyChange = 7,
    IpListChange = 8,
    SessionSettingChange = 9,
    ApiKeyChange = 10,
    BulkExport = 11,
    BulkDeletion = 12,
    Restore = 13,
    IpDenied = 14,
    ChainVerificationFailure = 15,
}

/// <summary>An officer's decision on a finding.</summary>
public enum AuditFindingDecision
{
    Open = 0,
    Acknowledged = 1,
    Escalated = 2,
}

/// <summary>
/// Something in the month an officer must look at, linked to the entries that show it: <see cref="Sequences"/> lists
/// them (up to <see cref="MaxLinkedEntries"/>; <see cref="EntryCount"/> counts all), and <see cref="Actions"/>,
/// <see cref="Subject"/> and the time span reproduce them as an audit-log filter.
/// </summary>
public sealed class AuditFinding
{
    public const int SubjectMaxLength = 256;
    public const int ActionsMaxLength = 1000;
    public const int CommentMaxLength = 2000;
    public const int MaxLinkedEntries = 500;

    public long Id { get; set; }
    public int ReviewId { get; set; }
    public AuditFindingKind Kind { get; set; }

    /// <summary>Who or what: the account (email or name), the address, or the action; empty when the kind says it all.</summary>
    public string Subject { get; set; } = "";

    /// <summary>More about the subject: the new address of a sign-in, the action of a per-entry finding.</summary>
    public string Detail { get; set; } = "";

    public int EntryCount { get; set; }
    public DateTime FirstAtUtc { get; set; }
    public DateTime LastAtUtc { get; set; }

    /// <summary>Comma-separated sequences of the linked entries, ascending.</summary>
    public string Sequences { get; set; } = "";

    /// <summary>Comma-separated action codes of the linked entries.</summary>
    public string Actions { get; set; } = "";

    public AuditFindingDecision Decision { get; set; }
    public string? Comment { get; set; }
    public string? DecidedById { get; set; }
    public string? DecidedByName { get; set; }
    public DateTime? DecidedAtUtc { get; set; }

    public IReadOnlyList<long> SequenceList =>
        [.. Sequences.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture))];

    public IReadOnlyList<string> ActionList => Actions.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
