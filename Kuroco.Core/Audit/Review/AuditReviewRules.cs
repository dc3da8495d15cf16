namespace Kuroco.Core.Audit.Review;

/// <summary>
/// The action codes each finding kind matches, in one place. Some codes do not exist yet (the features that would write
/// them are still to come: backups, widened API keys, the retention purge); they are listed so that the review finds
/// them the day they arrive. A code is matched exactly.
/// </summary>
public static class AuditReviewActionCodes
{
    public static IReadOnlyList<string> FailedSignIns { get; } = [AuditActions.SignInFailed];

    public static IReadOnlyList<string> SignIns { get; } = [AuditActions.SignInSucceeded];

    public static IReadOnlyList<string> Lockouts { get; } = [AuditActions.LockedOut];

    public static IReadOnlyList<string> RoleChanges { get; } =
    [
        AuditActions.StaffRolesChanged, AuditActions.StaffCreated, AuditActions.StaffBootstrapped,
        "staff.role-permissions-changed", "security.role-permissions-changed",
    ];

    public static IReadOnlyList<string> PasswordPolicyChanges { get; } =
        [AuditActions.PasswordPolicyChanged, AuditActions.MemberPasswordPolicyChanged];

    public static IReadOnlyList<string> IpListChanges { get; } =
        [AuditActions.IpAllowlistChanged, "security.ip-denylist-changed", "api.ip-allowlist-changed"];

    public static IReadOnlyList<string> SessionSettingChanges { get; } =
        [AuditActions.SessionPolicyChanged, "members.session-policy-changed"];

    public static IReadOnlyList<string> ApiKeyChanges { get; } =
        [AuditActions.ApiKeyCreated, "api.key-widened", "api.key-scopes-changed", "api.key-updated"];

    public static IReadOnlyList<string> BulkExports { get; } =
    [
        AuditActions.AuditExported, AuditActions.MembersExported, AuditActions.MemberPersonalDataExported,
        "logs.exported", "content.exported", "backup.downloaded",
    ];

    /// <summary>Deletions that are bulk by nature: each one is a finding.</summary>
    public static IReadOnlyList<string> BulkDeletions { get; } =
    [
        AuditActions.MediaFilesPurged, AuditActions.ContentItemPurged, AuditActions.MemberImportFilesPurged, AuditActions.MemberErased,
        "members.bulk-deleted", "content.bulk-deleted", "media.bulk-deleted", "audit.purged", "audit.retention-purged", "logs.purged",
    ];

    /// <summary>Single deletions: many by one person within the deletion window make a bulk deletion.</summary>
    public static IReadOnlyList<string> Deletions { get; } =
    [
        AuditActions.ContentItemDeleted, AuditActions.ContentTypeDeleted, AuditActions.MediaDeleted, AuditActions.MemberDeleted,
        AuditActions.MemberGroupDeleted, AuditActions.WebhookDeleted, AuditActions.StaffDisabled, AuditActions.ApiKeyRevoked,
    ];

    public static IReadOnlyList<string> Restores { get; } =
    [
        AuditActions.ContentVersionRestored, AuditActions.ContentItemRestored,
        "backup.restored", "backups.restored", "backup.restore-started", "backup.restore-completed", "media.restored", "members.restored",
    ];

    public static IReadOnlyList<string> IpDenied { get; } = [AuditActions.IpDenied];

    public static IReadOnlyList<string> ChainFailures { get; } =
        [AuditActions.AuditChainBroken, "audit.verify-failed", "audit.chain-verification-failed"];

    /// <summary>Kinds whose every matching entry is a finding, grouped by action, with the codes they match.</summary>
    public static IReadOnlyList<(AuditFindingKind Kind, IReadOnlyList<string> Actions)> PerEntryKinds { get; } =
    [
        (AuditFindingKind.Lockout, Lockouts),
        (AuditFindingKind.RoleChange, RoleChanges),
        (AuditFindingKind.PasswordPolicyChange, PasswordPolicyChanges),
        (AuditFindingKind.IpListChange, IpListChanges),
        (AuditFindingKind.SessionSettingChange, SessionSettingChanges),
        (AuditFindingKind.ApiKeyChange, ApiKeyChanges),
        (AuditFindingKind.BulkExport, BulkExports),
        (AuditFindingKind.BulkDeletion, BulkDeletions),
        (AuditFindingKind.Restore, Restores),
        (AuditFindingKind.IpDenied, IpDenied),
        (AuditFindingKind.ChainVerificationFailure, ChainFailures),
    ];
}

/// <summary>A run of events of one key (an account, an address, a person) that crossed a threshold.</summary>
public sealed record AuditBurst(string Key, IReadOnlyList<long> Sequences, DateTime FirstAtUtc, DateTime LastAtUtc);

/// <summary>The pure rules of the review: bursts within a sliding window.</summary>
public static class AuditReviewRules
{
    /// <summary>
    /// The sign-ins from an address new for that user: one the user had not signed in from in the <paramref name="lookback"/>
    /// before that sign-in (a sign-in exactly <paramref name="lookback"/> earlier still counts as seen). Each sign-in is
    /// judged against the history up to itself, so the window moves with it rather than ending at the start of the month.
    /// <paramref name="lastSeenBefore"/> holds, per (user, address), the last sign-in before the first of
    /// <paramref name="signIns"/>; returns the sequences of the new-address sign-ins, in time order.
    /// </summary>
    public static IReadOnlyList<long> FindNewAddresses(
        IEnumerable<(string User, string Address, long Sequence, DateTime AtUtc)> signIns,
        IReadOnlyDictionary<(string User, string Address), DateTime> lastSeenBefore,
        TimeSpan lookback)
    {
        ArgumentNullException.ThrowIfNull(signIns);
        ArgumentNullException.ThrowIfNull(lastSeenBefore);
        var lastSeen = new Dictionary<(string, string), DateTime>(lastSeenBefore);
        var found = new List<long>();
        foreach (var e in signIns.OrderBy(e => e.AtUtc).ThenBy(e => e.Sequence))
        {
            var key = (e.User, e.Address);
            if (!lastSeen.TryGetValue(key, out var last) || e.AtUtc - last > lookback)
            {
                found.Add(e.Sequence);
            }
            lastSeen[key] = e.AtUtc;
        }
        return found;
    }

    /// <summary>
    /// Finds, per key, every run of at least <paramref name="threshold"/> events whose consecutive windows of
    /// <paramref name="window"/> overlap: overlapping windows over the threshold merge into one burst. Events must come
    /// in time order.
    /// </summary>
    public static IReadOnlyList<AuditBurst> FindBursts(
        IEnumerable<(string Key, long Sequence, DateTime AtUtc)> events, int threshold, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(events);
        var bursts = new List<AuditBurst>();
        foreach (var group in events.GroupBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            var list = group.OrderBy(e => e.AtUtc).ThenBy(e => e.Sequence).ToList();
            // Mark every event that lies in some window holding at least threshold events.
            var inBurst = new bool[list.Count];
            var start = 0;
            for (var end = 0; end < list.Count; end++)
            {
                while (list[end].AtUtc - list[start].AtUtc > window)
                {
                    start++;
                }
                if (end - start + 1 >= threshold)
                {
                    for (var i = start; i <= end; i++)
                    {
                        inBurst[i] = true;
                    }
                }
            }
            // Consecutive marked events that are within the window of each other form one burst.
            List<int>? current = null;
            for (var i = 0; i < list.Count; i++)
            {
                if (!inBurst[i])
                {
                    Flush();
                    continue;
                }
                if (current is not null && list[i].AtUtc - list[current[^1]].AtUtc > window)
                {
                    Flush();
                }
                (current ??= []).Add(i);
            }
            Flush();

            void Flush()
            {
                if (current is { Count: > 0 })
                {
                    bursts.Add(new AuditBurst(group.Key, [.. current.Select(i => list[i].Sequence)],
                        list[current[0]].AtUtc, list[current[^1]].AtUtc));
                }
                current = null;
            }
        }
        return [.. bursts.OrderBy(b => b.FirstAtUtc)];
    }
}
