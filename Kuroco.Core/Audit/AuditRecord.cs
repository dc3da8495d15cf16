namespace Kuroco.Core.Audit;

/// <summary>One changed field: its value before and after, as shown to an auditor.</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// What a feature hands to <see cref="IAuditLog"/>; who, when and where are filled in by the log.
/// An entry is stored language-neutral: the action code and its <see cref="Parameters"/> (ids, emails, code
/// names, numbers, ISO-8601 UTC times). The sentence a person reads is rendered from the template
/// <c>summary:{action}</c> in the viewer's language when the entry is shown or exported.
/// </summary>
public sealed record AuditRecord(
    string Action,
    string EntityType,
    string? EntityId,
    string Summary,
    AuditOutcome Outcome = AuditOutcome.Success,
    IReadOnlyList<FieldChange>? Changes = null)
{
    /// <summary>A language-neutral entry: no prose, only the values the summary template names.</summary>
    public AuditRecord(
        string action,
        string entityType,
        string? entityId,
        IReadOnlyDictionary<string, string?> parameters,
        AuditOutcome outcome = AuditOutcome.Success,
        IReadOnlyList<FieldChange>? changes = null)
        : this(action, entityType, entityId, "", outcome, changes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    /// <summary>
    /// The values the summary template of <see cref="Action"/> names, invariant culture. When set, the entry is
    /// stored in format 2 (<see cref="AuditEntry.FormatVersion"/>) and <see cref="Summary"/> is not stored.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Parameters { get; init; }

    /// <summary>Overrides the current actor (e.g. a failed sign-in names the email that was tried).</summary>
    public AuditActor? Actor { get; init; }

    /// <summary>Overrides the current origin: work done after the request that asked for it (a queued member mail) keeps the request's address.</summary>
    public AuditOrigin? Origin { get; init; }
}

/// <summary>Who did it and from where.</summary>
public sealed record AuditActor(string? UserId, string Name, IReadOnlyList<string> Roles)
{
    public static AuditActor System { get; } = new(null, "system", []);
    public static AuditActor Anonymous { get; } = new(null, "anonymous", []);
}

public sealed record AuditOrigin(string? IpAddress, string? UserAgent, string? CorrelationId)
{
    public static AuditOrigin None { get; } = new(null, null, null);
}

/// <summary>Supplies the acting user and request origin for the current scope (HTTP request, circuit or job).</summary>
public interface IAuditContext
{
    ValueTask<AuditActor> GetActorAsync();
    AuditOrigin GetOrigin();
}

/// <summary>
/// What a language-neutral entry reads as, in every language the console speaks (its rendered summaries), for the free-text
/// index beside the stored values: an officer who types "パスワード" or "password" finds the entries that say it. Written
/// with the entry, never shown and not covered by the hash (it only helps to find an entry; what is shown is rendered from
/// the hashed action and parameters).
/// </summary>
public interface IAuditSearchText
{
    /// <summary>The text to index for <paramref name="entry"/>, or null when it stores its summary as text (format 1).</summary>
    string? For(AuditEntry entry);
}

/// <summary>The append-only audit log. There is no update or delete.</summary>
public interface IAuditLog
{
    Task<AuditEntry> WriteAsync(AuditRecord record, CancellationToken cancellationToken = default);
}

/// <summary>Reads the log and verifies its hash chain.</summary>
public interface IAuditReader
{
    Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many entries match the query's filters: exact up to <see cref="AuditQuery.CountCap"/> unless it asks to count exactly.</summary>
    Task<AuditTotal> CountAsync(AuditQuery query, CancellationToken cancellationToken = default);
    Task<AuditChainVerification> VerifyChainAsync(CancellationToken cancellationToken = default);

    /// <summary>Verifies the chain, reporting how many entries were checked (of about how many) after each batch.</summary>
    Task<AuditChainVerification> VerifyChainAsync(Func<AuditVerifyProgress, CancellationToken, Task>? progress, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every entry that matches the query's filters, newest first, read in batches so that memory stays
    /// flat (the query's paging is ignored). For exports.
    /// </summary>
    IAsyncEnumerable<AuditEntry> StreamAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many entries of each of <paramref name="actions"/> fall on each calendar day of
    /// <paramref name="zone"/>, for <paramref name="days"/> days from <paramref name="firstDay"/>.
    /// Days without entries are listed with 0, so a chart gets every day.
    /// </summary>
    Task<IReadOnlyList<AuditDailyCount>> CountPerDayAsync(
        IReadOnlyCollection<string> actions, DateOnly firstDay, int days, TimeZoneInfo zone, CancellationToken cancellationToken = default);

    /// <summary>The newest entry with one of <paramref name="actions"/>, or null when there is none.</summary>
    Task<AuditEntry?> FindLatestAsync(IReadOnlyCollection<string> actions, CancellationToken cancellationToken = default);
}

/// <summary>How far a chain verification got: <see cref="Checked"/> of about <see cref="Total"/> entries.</summary>
public sealed record AuditVerifyProgress(long Checked, long Total);

/// <summary>The number of entries with one action on one day (in the zone that was asked for).</summary>
public sealed record AuditDailyCount(DateOnly Day, string Action, int Count)
{
    /// <summary>The longest span <see cref="IAuditReader.CountPerDayAsync"/> answers for.</summary>
    public const int MaxDays = 366;
}
