using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Appends entries to the hash chain. Each write uses its own context (never the caller's pending
/// changes) and claims the next sequence number; the sequence is the primary key, so if another
/// instance claimed it first the insert fails and is retried on the new tail.
/// <para>
/// The tail (sequence, hash and time of the last entry) is kept in memory per database under the writer's gate, so an
/// append is one INSERT rather than a read and an INSERT; it is read again from the database after a failed insert (another
/// instance appended) and whenever it is not known. Times never go backwards along the chain: an entry is stamped no
/// earlier than the entry before it (a few seconds of clock skew between instances at most; a larger gap is logged and
/// not followed), so the chain's order is the time order, which the free-text search relies on.
/// </para>
/// </summary>
internal sealed partial class AuditLog(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditContext auditContext,
    IAuditSearchText searchText,
    TimeProvider clock,
    ILogger<AuditLog> logger) : IAuditLog
{
    private const int MaxAttempts = 8;

    /// <summary>How far ahead of this server's clock the previous entry may be and still set the time of the next.</summary>
    internal static readonly TimeSpan MaxSkew = TimeSpan.FromSeconds(5);

    // One writer at a time inside this process; across processes the primary key decides.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    // The last entry of each database this process writes to (tests run several), read and written under the gate.
    private static readonly Dictionary<string, Tail> Tails = new(StringComparer.Ordinal);

    private sealed record Tail(long Sequence, string Hash, DateTime OccurredAtUtc);

    public async Task<AuditEntry> WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var actor = record.Actor ?? await auditContext.GetActorAsync();
        var origin = record.Origin ?? auditContext.GetOrigin();

        await Gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var key = db.Database.GetConnectionString() ?? "";
                if (!Tails.TryGetValue(key, out var tail))
                {
                    tail = await db.AuditEntries.AsNoTracking()
                        .OrderByDescending(e => e.Sequence)
                        .Select(e => new Tail(e.Sequence, e.Hash, e.OccurredAtUtc))
                        .FirstOrDefaultAsync(cancellationToken);
                }

                var entry = new AuditEntry
                {
                    Sequence = (tail?.Sequence ?? 0) + 1,
                    PreviousHash = tail?.Hash ?? AuditHasher.GenesisHash,
                    OccurredAtUtc = StampAfter(tail),
                    ActorId = actor.UserId,
                    ActorName = Truncate(actor.Name, AuditEntry.ActorNameMaxLength),
                    ActorRoles = Truncate(string.Join(",", actor.Roles), AuditEntry.ActorRolesMaxLength),
                    Action = Truncate(record.Action, AuditEntry.ActionMaxLength),
                    EntityType = Truncate(record.EntityType, AuditEntry.EntityTypeMaxLength),
                    EntityId = TruncateOrNull(record.EntityId, AuditEntry.EntityIdMaxLength),
                    // A language-neutral record stores no prose: its summary is rendered when shown.
                    FormatVersion = record.Parameters is null ? AuditEntry.LegacyFormat : AuditEntry.ParametersFormat,
                    Summary = record.Parameters is null ? Truncate(record.Summary, AuditEntry.SummaryMaxLength) : "",
                    Parameters = record.Parameters is null ? null : AuditParameters.Serialize(record.Parameters),
                    Changes = AuditChanges.Serialize(record.Changes),
                    Outcome = record.Outcome,
                    IpAddress = TruncateOrNull(origin.IpAddress, AuditEntry.IpAddressMaxLength),
                    UserAgent = TruncateOrNull(origin.UserAgent, AuditEntry.UserAgentMaxLength),
                    CorrelationId = TruncateOrNull(origin.CorrelationId, AuditEntry.CorrelationIdMaxLength),
                };
                entry.Hash = AuditHasher.Compute(entry);
                db.AuditEntries.Add(entry).Property(AuditEntryConfiguration.SearchTextColumn).CurrentValue = searchText.For(entry);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    Tails[key] = new Tail(entry.Sequence, entry.Hash, entry.OccurredAtUtc);
                    return entry;
                }
                catch (DbUpdateException ex) when (attempt < MaxAttempts)
                {
                    // Another writer took the sequence: read the tail again.
                    Tails.Remove(key);
                    LogRetry(logger, entry.Sequence, attempt, ex);
                }
                catch
                {
                    Tails.Remove(key);
                    throw;
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Now, or the previous entry's time when this server's clock is slightly behind it (never backwards along the chain).</summary>
    private DateTime StampAfter(Tail? tail)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (tail is null || tail.OccurredAtUtc <= now)
        {
            return now;
        }
        var previous = DateTime.SpecifyKind(tail.OccurredAtUtc, DateTimeKind.Utc);
        if (previous - now <= MaxSkew)
        {
            return previous;
        }
        LogClockBehind(logger, tail.Sequence, previous, now);
        return now;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static string? TruncateOrNull(string? value, int max) => value is null ? null : Truncate(value, max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit entry {Sequence} is stamped {Previous:O}, ahead of this server's clock ({Now:O}) by more than the allowed skew; the next entry takes this server's time.")]
    private static partial void LogClockBehind(ILogger logger, long sequence, DateTime previous, DateTime now);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit sequence {Sequence} was taken by another writer (attempt {Attempt}); retrying.")]
    private static partial void LogRetry(ILogger logger, long sequence, int attempt, Exception exception);
}

/// <summary>Without the console (the benchmark, tools): nothing beyond the stored values is indexed.</summary>
internal sealed class NoAuditSearchText : IAuditSearchText
{
    public string? For(AuditEntry entry) => null;
}
