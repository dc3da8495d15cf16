using System.Globalization;
using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Audit.Review;

/// <summary>
/// Prepares one review: totals per action and outcome (aggregated in SQL), then the findings. Each detector reads only
/// the entries of the actions it matches (the Action index), except the business-hours check, which streams the month's
/// staff entries in keyset batches of <see cref="BatchSize"/> (sequence, time and actor only), so memory stays flat.
/// </summary>
public sealed partial class AuditReviewPreparer(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditReviewSettingsStore settingsStore,
    IAuditLog auditLog,
    AuditReviewMailer mailer,
    TimeProvider clock,
    ILogger<AuditReviewPreparer> logger)
{
    public const int BatchSize = 10_000;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Prepares the review with this id if it is still preparing (running twice does nothing the second time).</summary>
    public async Task PrepareAsync(int reviewId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var review = await db.Set<AuditReview>().FirstOrDefaultAsync(r => r.Id == reviewId, cancellationToken);
        if (review is not { State: AuditReviewState.Preparing })
        {
            return;
        }
        var started = clock.GetTimestamp();
        try
        {
            var settings = await settingsStore.GetAsync(cancellationToken);
            var findings = await DetectAsync(db, review, settings, cancellationToken);
            review.Findings.AddRange(findings);
            review.PreparedAtUtc = clock.GetUtcNow().UtcDateTime;
            review.State = AuditReviewState.Ready;
            // Earlier unsigned versions of the month give way to this one; signed ones stay as they were.
            var earlier = await db.Set<AuditReview>()
                .Where(r => r.Month == review.Month && r.Id != review.Id
                    && (r.State == AuditReviewState.Ready || r.State == AuditReviewState.InReview || r.State == AuditReviewState.Failed))
                .ToListAsync(cancellationToken);
            foreach (var old in earlier)
            {
                old.State = AuditReviewState.Superseded;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, review.Month, ex);
            db.ChangeTracker.Clear();
            await db.Set<AuditReview>().Where(r => r.Id == reviewId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, AuditReviewState.Failed), cancellationToken);
            throw;
        }
        var elapsed = clock.GetElapsedTime(started);
        LogPrepared(logger, review.Month, review.Version, review.EntryCount, review.Findings.Count, elapsed.TotalSeconds);
        await auditLog.WriteAsync(new AuditRecord(AuditActions.AuditReviewPrepared, "AuditReview", EntityId(review),
            AuditParameters.Of(
                ("month", review.Month),
                ("version", review.Version.ToString(CultureInfo.InvariantCulture)),
                ("entries", review.EntryCount.ToString(CultureInfo.InvariantCulture)),
                ("findings", review.Findings.Count.ToString(CultureInfo.InvariantCulture)))) { Actor = AuditActor.System }, cancellationToken);
        await mailer.SendReadyAsync(review, cancellationToken);
    }

    public static string EntityId(AuditReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        return string.Create(CultureInfo.InvariantCulture, $"{review.Month}/v{review.Version}");
    }

    private static async Task<List<AuditFinding>> DetectAsync(KurocoDbContext db, AuditReview review, AuditReviewSettings settings, CancellationToken ct)
    {
        var from = review.PeriodStartUtc;
        var to = review.PeriodEndUtc;
        var month = db.AuditEntries.AsNoTracking().Where(e => e.OccurredAtUtc >= from && e.OccurredAtUtc < to);

        var totals = await month.GroupBy(e => new { e.Action, e.Outcome })
            .Select(g => new { g.Key.Action, g.Key.Outcome, Count = g.LongCount() })
            .ToListAsync(ct);
        review.Totals = JsonSerializer.Serialize(
            totals.Select(t => new AuditReviewTotal(AuditReviewTotal.AreaOf(t.Action), t.Action, t.Outcome, t.Count))
                .OrderBy(t => t.Area, StringComparer.Ordinal).ThenBy(t => t.Action, StringComparer.Ordinal).ThenBy(t => t.Outcome)
                .ToList(), Json);
        review.EntryCount = totals.Sum(t => t.Count);
        review.FirstSequence = await month.MinAsync(e => (long?)e.Sequence, ct);
        review.LastSequence = await month.MaxAsync(e => (long?)e.Sequence, ct);

        var findings = new List<AuditFinding>();
        var window = TimeSpan.FromMinutes(settings.FailedSignInWindowMinutes);

        // Bursts of failed sign-ins, per account and per address.
        var failed = await ReadAsync(month, AuditReviewActionCodes.FailedSignIns, ct);
        foreach (var burst in AuditReviewRules.FindBursts(failed.Select(e => (e.ActorName, e.Sequence, e.OccurredAtUtc)), settings.FailedSignInThreshold, window))
        {
            findings.Add(Finding(AuditFindingKind.FailedSignInBurstAccount, burst.Key, "", burst.Sequences, burst.FirstAtUtc, burst.LastAtUtc, AuditReviewActionCodes.FailedSignIns));
        }
        foreach (var burst in AuditReviewRules.FindBursts(
            failed.Where(e => !string.IsNullOrEmpty(e.IpAddress)).Select(e => (e.IpAddress!, e.Sequence, e.OccurredAtUtc)), settings.FailedSignInThreshold, window))
        {
            findings.Add(Finding(AuditFindingKind.FailedSignInBurstAddress, burst.Key, "", burst.Sequences, burst.FirstAtUtc, burst.LastAtUtc, AuditReviewActionCodes.FailedSignIns));
        }

        // Sign-ins from an address the user had not signed in from in the look-back period before that sign-in.
        var signIns = (await ReadAsync(month, AuditReviewActionCodes.SignIns, ct))
            .Where(e => e.ActorId is not null && !string.IsNullOrEmpty(e.IpAddress)).ToList();
        var lookback = TimeSpan.FromDays(settings.NewAddressLookbackDays);
        var lookbackFrom = from - lookback;
        var signInActions = AuditReviewActionCodes.SignIns.ToList();
        var lastSeen = (await db.AuditEntries.AsNoTracking()
                .Where(e => e.OccurredAtUtc >= lookbackFrom && e.OccurredAtUtc < from && signInActions.Contains(e.Action)
                    && e.ActorId != null && e.IpAddress != null)
                .GroupBy(e => new { e.ActorId, e.IpAddress })
                .Select(g => new { g.Key.ActorId, g.Key.IpAddress, Last = g.Max(e => e.OccurredAtUtc) })
                .ToListAsync(ct))
            .ToDictionary(k => (k.ActorId!, k.IpAddress!), k => k.Last);
        var bySequence = signIns.ToDictionary(e => e.Sequence);
        foreach (var sequence in AuditReviewRules.FindNewAddresses(
            signIns.Select(e => (e.ActorId!, e.IpAddress!, e.Sequence, e.OccurredAtUtc)), lastSeen, lookback))
        {
            var e = bySequence[sequence];
            findings.Add(Finding(AuditFindingKind.NewSignInAddress, e.ActorName, e.IpAddress!, [e.Sequence], e.OccurredAtUtc, e.OccurredAtUtc, [e.Action]));
        }

        // Entries whose every occurrence is a finding: grouped by action (IP denials by address, lockouts by account).
        foreach (var (kind, actions) in AuditReviewActionCodes.PerEntryKinds)
        {
            var rows = await ReadAsync(month, actions, ct);
            foreach (var group in rows.GroupBy(e => kind switch
            {
                AuditFindingKind.IpDenied => (Subject: e.IpAddress ?? "", Detail: ""),
                AuditFindingKind.Lockout => (Subject: e.ActorName, Detail: ""),
                _ => (Subject: "", Detail: e.Action),
            }))
            {
                var list = group.ToList();
                findings.Add(Finding(kind, group.Key.Subject, group.Key.Detail, [.. list.Select(e => e.Sequence)],
                    list[0].OccurredAtUtc, list[^1].OccurredAtUtc, [.. list.Select(e => e.Action).Distinct(StringComparer.Ordinal)]));
            }
        }

        // Many single deletions by one person in a short time.
        var deletions = await ReadAsync(month, AuditReviewActionCodes.Deletions, ct);
        foreach (var burst in AuditReviewRules.FindBursts(deletions.Select(e => (e.ActorName, e.Sequence, e.OccurredAtUtc)),
            settings.DeletionThreshold, TimeSpan.FromMinutes(settings.DeletionWindowMinutes)))
        {
            var actions = deletions.Where(d => burst.Sequences.Contains(d.Sequence)).Select(d => d.Action).Distinct(StringComparer.Ordinal);
            findings.Add(Finding(AuditFindingKind.BulkDeletion, burst.Key, "", burst.Sequences, burst.FirstAtUtc, burst.LastAtUtc, [.. actions]));
        }

        // Console activity outside business hours: staff entries (a person with roles), streamed in keyset batches.
        findings.AddRange(await OutsideBusinessHoursAsync(month, settings, ct));
        return [.. findings.OrderBy(f => f.Kind).ThenBy(f => f.FirstAtUtc)];
    }

    private static async Task<List<AuditFinding>> OutsideBusinessHoursAsync(IQueryable<AuditEntry> month, AuditReviewSettings settings, CancellationToken ct)
    {
        var zone = settings.Zone;
        var perActor = new Dictionary<string, (List<long> Sequences, int Count, DateTime First, DateTime Last, HashSet<string> Actions)>(StringComparer.Ordinal);
        var after = 0L;
        while (true)
        {
            var last = after;
            var batch = await month.Where(e => e.Sequence > last && e.ActorId != null && e.ActorRoles != "")
                .OrderBy(e => e.Sequence)
                .Select(e => new { e.Sequence, e.OccurredAtUtc, e.ActorName, e.Action })
                .Take(BatchSize).ToListAsync(ct);
            foreach (var e in batch)
            {
                if (settings.IsBusinessTime(e.OccurredAtUtc, zone))
                {
                    continue;
                }
                if (!perActor.TryGetValue(e.ActorName, out var acc))
                {
                    acc = ([], 0, e.OccurredAtUtc, e.OccurredAtUtc, new HashSet<string>(StringComparer.Ordinal));
                }
                if (acc.Sequences.Count < AuditFinding.MaxLinkedEntries)
                {
                    acc.Sequences.Add(e.Sequence);
                }
                acc.Actions.Add(e.Action);
                perActor[e.ActorName] = (acc.Sequences, acc.Count + 1, acc.First, e.OccurredAtUtc, acc.Actions);
            }
            if (batch.Count < BatchSize)
            {
                break;
            }
            after = batch[^1].Sequence;
        }
        return
        [
            .. perActor.Select(p =>
            {
                var finding = Finding(AuditFindingKind.OutsideBusinessHours, p.Key, "", p.Value.Sequences, p.Value.First, p.Value.Last,
                    [.. p.Value.Actions.Order(StringComparer.Ordinal).Take(20)]);
                finding.EntryCount = p.Value.Count;
                return finding;
            }),
        ];
    }

    private sealed record Row(long Sequence, DateTime OccurredAtUtc, string Action, string? ActorId, string ActorName, string? IpAddress);

    private static async Task<List<Row>> ReadAsync(IQueryable<AuditEntry> month, IReadOnlyList<string> actions, CancellationToken ct)
    {
        var codes = actions.ToList();
        return await month.Where(e => codes.Contains(e.Action))
            .OrderBy(e => e.Sequence)
            .Select(e => new Row(e.Sequence, e.OccurredAtUtc, e.Action, e.ActorId, e.ActorName, e.IpAddress))
            .ToListAsync(ct);
    }

    private static AuditFinding Finding(AuditFindingKind kind, string subject, string detail, IReadOnlyList<long> sequences,
        DateTime first, DateTime last, IEnumerable<string> actions) => new()
        {
            Kind = kind,
            Subject = Truncate(subject, AuditFinding.SubjectMaxLength),
            Detail = Truncate(detail, AuditFinding.SubjectMaxLength),
            EntryCount = sequences.Count,
            FirstAtUtc = first,
            LastAtUtc = last,
            Sequences = string.Join(",", sequences.Take(AuditFinding.MaxLinkedEntries).Select(s => s.ToString(CultureInfo.InvariantCulture))),
            Actions = Truncate(string.Join(",", actions), AuditFinding.ActionsMaxLength),
        };

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit review {Month} v{Version} prepared: {Entries} entries, {Findings} findings in {Seconds:F1} s.")]
    private static partial void LogPrepared(ILogger logger, string month, int version, long entries, int findings, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit review {Month} could not be prepared.")]
    private static partial void LogFailed(ILogger logger, string month, Exception exception);
}
