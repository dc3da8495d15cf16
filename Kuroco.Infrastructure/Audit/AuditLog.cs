using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Appends entries to the hash chain. Each write uses its own context (never the caller's pending
/// changes) and claims the next sequence number; the sequence is the primary key, so if another
/// instance claimed it first the insert fails and is retried on the new tail.
/// </summary>
internal sealed partial class AuditLog(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditContext auditContext,
    TimeProvider clock,
    ILogger<AuditLog> logger) : IAuditLog
{
    private const int MaxAttempts = 8;

    // One writer at a time inside this process; across processes the primary key decides.
    private static readonly SemaphoreSlim Gate = new(1, 1);

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
                var tail = await db.AuditEntries.AsNoTracking()
                    .OrderByDescending(e => e.Sequence)
                    .Select(e => new { e.Sequence, e.Hash })
                    .FirstOrDefaultAsync(cancellationToken);

                var entry = new AuditEntry
                {
                    Sequence = (tail?.Sequence ?? 0) + 1,
                    PreviousHash = tail?.Hash ?? AuditHasher.GenesisHash,
                    OccurredAtUtc = clock.GetUtcNow().UtcDateTime,
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
                db.AuditEntries.Add(entry);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return entry;
                }
                catch (DbUpdateException ex) when (attempt < MaxAttempts)
                {
                    LogRetry(logger, entry.Sequence, attempt, ex);
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static string? TruncateOrNull(string? value, int max) => value is null ? null : Truncate(value, max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit sequence {Sequence} was taken by another writer (attempt {Attempt}); retrying.")]
    private static partial void LogRetry(ILogger logger, long sequence, int attempt, Exception exception);
}
