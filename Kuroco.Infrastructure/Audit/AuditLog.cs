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
/// Writers that arrive together share one transaction (group commit): the one holding the gate appends everything queued
/// for its database in arrival order. The tail (sequence, hash and time of the last entry) is kept in memory per database under the writer's gate, so an
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

    // Entries waiting for the writer (guarded by a lock on itself); each belongs to the database of its context factory.
    private static readonly List<Pending> Queue = [];

    private const int MaxBatch = 500;

    private sealed record Tail(long Sequence, string Hash, DateTime OccurredAtUtc);

    private sealed record Pending(AuditRecord Record, AuditActor Actor, AuditOrigin Origin, DateTime AtUtc, IDbContextFactory<KurocoDbContext> Contexts)
    {
        public TaskCompletionSource<AuditEntry> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Holds every audit writer of this process out until disposed (a full restore replaces the database under them and
    /// re-appends the later entries itself); on release the cached tails are forgotten, so the next append reads the tail
    /// of the restored database.
    /// </summary>
    internal static async Task<IAsyncDisposable> HoldWritersAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        return new WritersHold();
    }

    private sealed class WritersHold : IAsyncDisposable
    {
        private int released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                Tails.Clear();
                Gate.Release();
            }
            return ValueTask.CompletedTask;
        }
    }

    public async Task<AuditEntry> WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var actor = record.Actor ?? await auditContext.GetActorAsync();
        var origin = record.Origin ?? auditContext.GetOrigin();
        var mine = new Pending(record, actor, origin, clock.GetUtcNow().UtcDateTime, contexts);
        lock (Queue)
        {
            Queue.Add(mine);
        }

        // Group commit: whoever holds the gate writes every entry waiting for the same database in one transaction (in
        // the order they arrived), so concurrent writers share one commit instead of queueing for one each. Each caller
        // still returns only once its own entry is committed.
        try
        {
            await Gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (Queue)
            {
                if (Queue.Remove(mine))
                {
                    throw;
                }
            }
            // Another writer took it into its batch already: it will be written; wait for that.
            return await mine.Done.Task;
        }
        try
        {
            while (!mine.Done.Task.IsCompleted)
            {
                List<Pending> batch;
                lock (Queue)
                {
                    batch = [.. Queue.Where(p => ReferenceEquals(p.Contexts, contexts)).Take(MaxBatch)];
                    Queue.RemoveAll(batch.Contains);
                }
                await WriteBatchAsync(batch);
            }
        }
        finally
        {
            Gate.Release();
        }
        return await mine.Done.Task;
    }

    /// <summary>
    /// Appends the batch in one transaction, chained from the tail; on a taken sequence (another instance appended) it
    /// reads the tail again and retries. Every caller gets its entry or the error: nothing is written half.
    /// </summary>
    private async Task WriteBatchAsync(List<Pending> batch)
    {
        // Not the caller's token: these are records of changes already made, for several callers; SQLite's busy timeout
        // bounds the wait.
        var cancellationToken = CancellationToken.None;
        for (var attempt = 1; ; attempt++)
        {
            string? key = null;
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                key = db.Database.GetConnectionString() ?? "";
                if (!Tails.TryGetValue(key, out var tail))
                {
                    tail = await db.AuditEntries.AsNoTracking()
                        .OrderByDescending(e => e.Sequence)
                        .Select(e => new Tail(e.Sequence, e.Hash, e.OccurredAtUtc))
                        .FirstOrDefaultAsync(cancellationToken);
                }
                var entries = new List<AuditEntry>(batch.Count);
                foreach (var pending in batch)
                {
                    var entry = NewEntry(pending, tail);
                    db.AuditEntries.Add(entry).Property(AuditEntryConfiguration.SearchTextColumn).CurrentValue = searchText.For(entry);
                    entries.Add(entry);
                    tail = new Tail(entry.Sequence, entry.Hash, entry.OccurredAtUtc);
                }
                await db.SaveChangesAsync(cancellationToken);
                Tails[key] = tail!;
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(entries[i]);
                }
                return;
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts)
            {
                // Another writer took the sequence: read the tail again.
                Tails.Remove(key ?? "");
                LogRetry(logger, attempt, ex);
            }
            catch (Exception ex)
            {
                Tails.Remove(key ?? "");
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }
                return;
            }
        }
    }

    private AuditEntry NewEntry(Pending pending, Tail? tail)
    {
        var (record, actor, origin) = (pending.Record, pending.Actor, pending.Origin);
        var entry = new AuditEntry
        {
            Sequence = (tail?.Sequence ?? 0) + 1,
            PreviousHash = tail?.Hash ?? AuditHasher.GenesisHash,
            OccurredAtUtc = StampAfter(tail, pending.AtUtc),
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
        return entry;
    }

    /// <summary>The time the caller wrote, or the previous entry's when this server's clock is slightly behind it (never backwards along the chain).</summary>
    private DateTime StampAfter(Tail? tail, DateTime now)
    {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "An audit sequence was taken by another writer (attempt {Attempt}); retrying on the new tail.")]
    private static partial void LogRetry(ILogger logger, int attempt, Exception exception);
}

/// <summary>Without the console (the benchmark, tools): nothing beyond the stored values is indexed.</summary>
internal sealed class NoAuditSearchText : IAuditSearchText
{
    public string? For(AuditEntry entry) => null;
}
