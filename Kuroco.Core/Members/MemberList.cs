namespace Kuroco.Core.Members;

/// <summary>What the member list filters by status: the stored statuses, and "locked" (a lockout end in the future, any status).</summary>
public enum MemberListStatus
{
    PendingVerification = 0,
    Active,
    Suspended,
    Erased,
    Locked,
}

/// <summary>The member list's orders. Each is backed by an index ending in the id (or by the unique normalized email), so paging stays stable.</summary>
public enum MemberSort
{
    SignedUpDesc = 0,
    SignedUpAsc,
    LastSignInDesc,
    LastSignInAsc,
    NameAsc,
    NameDesc,
    EmailAsc,
    EmailDesc,
}

/// <summary>
/// Which members a list (or a bulk action on "all matching") covers. Times are UTC instants: a "to" bound is exclusive
/// (see <see cref="MemberDateRange"/> for days of the viewer's time zone).
/// </summary>
public sealed record MemberListFilter(
    string? Search = null,
    Guid? GroupId = null,
    MemberListStatus? Status = null,
    DateTime? SignedUpFromUtc = null,
    DateTime? SignedUpToUtc = null,
    DateTime? LastSignInFromUtc = null,
    DateTime? LastSignInToUtc = null)
{
    public const int SearchMaxLength = 200;

    /// <summary>At most this many words of a search are matched (each must appear); further words are ignored.</summary>
    public const int MaxSearchTerms = 5;

    public static MemberListFilter None { get; } = new();

    /// <summary>
    /// The words of <see cref="Search"/> as the stored search text holds them (<see cref="MemberText.Fold"/>: NFKC, lower case,
    /// katakana as hiragana), so "ﾔﾏﾀﾞ", "ヤマダ" and "やまだ" look for the same thing. Empty when there is nothing to search for.
    /// </summary>
    public IReadOnlyList<string> SearchTerms()
    {
        var folded = MemberText.Fold(Search is { Length: > SearchMaxLength } ? Search[..SearchMaxLength] : Search);
        return folded.Length == 0
            ? []
            : [.. folded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(MaxSearchTerms)];
    }
}

/// <summary>
/// Where the next page starts: the sort value and id of the last row of the page before it (keyset paging). <see cref="At"/>
/// is the sign-up or last sign-in time (null for a member who never signed in), <see cref="Text"/> the name or normalized email.
/// </summary>
public sealed record MemberListCursor(DateTime? At, string? Text, Guid Id)
{
    /// <summary>The cursor after <paramref name="item"/> in <paramref name="sort"/>.</summary>
    public static MemberListCursor After(MemberListItem item, MemberSort sort)
    {
        ArgumentNullException.ThrowIfNull(item);
        return sort switch
        {
            MemberSort.SignedUpAsc or MemberSort.SignedUpDesc => new(item.CreatedAtUtc, null, item.Id),
            MemberSort.LastSignInAsc or MemberSort.LastSignInDesc => new(item.LastSignInAtUtc, null, item.Id),
            MemberSort.NameAsc or MemberSort.NameDesc => new(null, item.DisplayName, item.Id),
            _ => new(null, MemberText.NormalizeEmail(item.Email), item.Id),
        };
    }
}

/// <summary>
/// One page of the member list: <see cref="Page"/> (offset) when no cursor is known, or the page after <see cref="After"/>
/// (keyset: stable while members are added or changed, and as fast on page 4,000 as on page 1).
/// </summary>
public sealed record MemberListQuery(MemberListFilter Filter, MemberSort Sort = MemberSort.SignedUpDesc, int Page = 0, int PageSize = 25)
{
    public const int MaxPageSize = 200;

    public MemberListCursor? After { get; init; }
}

public sealed record MemberListItem(
    Guid Id,
    string Email,
    string DisplayName,
    string? NameKana,
    string Language,
    MemberStatus Status,
    bool IsLocked,
    DateTime CreatedAtUtc,
    DateTime? LastSignInAtUtc,
    IReadOnlyList<Guid> GroupIds);

/// <summary>A page of members, how many match in all, and the cursor of the page after it (null on the last page).</summary>
public sealed record MemberListPage(IReadOnlyList<MemberListItem> Items, int TotalCount, MemberListCursor? Next);

/// <summary>Everything the member page shows and edits (never the password hash or security stamp).</summary>
public sealed record MemberDetail(
    Guid Id,
    string Email,
    string DisplayName,
    string? NameKana,
    string Language,
    MemberStatus Status,
    DateTime? LockoutEndUtc,
    int AccessFailedCount,
    bool HasPassword,
    IReadOnlyDictionary<string, string?> Profile,
    IReadOnlyList<Guid> GroupIds,
    DateTime CreatedAtUtc,
    DateTime UpdatedAtUtc,
    DateTime? EmailVerifiedAtUtc,
    DateTime? LastSignInAtUtc,
    Guid ConcurrencyToken)
{
    public bool IsLockedOut(DateTimeOffset now) => LockoutEndUtc is { } end && end > now.UtcDateTime;
}

/// <summary>Days of the viewer's calendar as a UTC range (what the list's date filters send).</summary>
public static class MemberDateRange
{
    /// <summary>
    /// From the start of <paramref name="from"/> to the start of the day after <paramref name="to"/> (exclusive) in
    /// <paramref name="zone"/>, as UTC; a missing day leaves that side open. A midnight that daylight saving skips starts
    /// at the first valid time after it.
    /// </summary>
    public static (DateTime? FromUtc, DateTime? ToUtc) ToUtc(DateOnly? from, DateOnly? to, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return (from is { } f ? StartOfDayUtc(f, zone) : null, to is { } t ? StartOfDayUtc(t.AddDays(1), zone) : null);
    }

    public static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}

/// <summary>Reads members for the console: the list, one member, their sign-ins and their audit history.</summary>
public interface IMemberDirectory
{
    Task<MemberListPage> ListAsync(MemberListQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many members match (what a bulk action on "all matching" would cover).</summary>
    Task<int> CountAsync(MemberListFilter filter, CancellationToken cancellationToken = default);

    Task<MemberDetail?> GetAsync(Guid memberId, CancellationToken cancellationToken = default);

    /// <summary>The member's newest sign-in attempts, newest first.</summary>
    Task<IReadOnlyList<MemberSignInRecord>> RecentSignInsAsync(Guid memberId, int count = 20, CancellationToken cancellationToken = default);

    /// <summary>
    /// Audit entries about the member, newest first: those of entity "Member" with its id, and the bulk actions that
    /// named it. Personal values stay as stored (protected); reveal them with <see cref="IMemberPersonalData.RevealAsync"/>.
    /// </summary>
    Task<IReadOnlyList<Audit.AuditEntry>> HistoryAsync(Guid memberId, int count = 50, CancellationToken cancellationToken = default);
}
