using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Audit;

/// <summary>The audit retention setting (refused below the 12-month floor, audited with before/after) and its status.</summary>
internal sealed class AuditRetentionStore(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<AuditRetentionSettings> validator,
    IAuditAnchorStore anchors,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IAuditRetentionStore
{
    public async Task<AuditRetentionSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await ReadAsync(db, cancellationToken);
        return row is null ? AuditRetentionSettings.Default : new AuditRetentionSettings(row.RetentionMonths);
    }

    public async Task<AuditRetentionStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await ReadAsync(db, cancellationToken);
        // The file is the authority; the page shows it (the chain check reports when the database copy disagrees).
        var checkpoint = await anchors.ReadCheckpointAsync(cancellationToken);
        if (row is null)
        {
            return new AuditRetentionStatus(AuditRetentionSettings.Default, null, null, checkpoint, null);
        }
        var lastPurge = row is { LastPurgeAtUtc: { } at, LastPurgeCutoffUtc: { } cutoff, LastPurgeOutcome: { } outcome }
            ? new AuditPurgeReport(at, cutoff, row.LastPurgeCount, outcome, row.Checkpoint)
            : null;
        return new AuditRetentionStatus(new AuditRetentionSettings(row.RetentionMonths), row.UpdatedAtUtc, row.UpdatedBy, checkpoint, lastPurge);
    }

    public async Task<Result> SaveAsync(AuditRetentionSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var validation = await validator.ValidateAsync(settings, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.AuditRetention.FirstOrDefaultAsync(s => s.Id == AuditRetentionState.SingletonId, cancellationToken);
        var before = row?.RetentionMonths ?? AuditRetentionSettings.Default.RetentionMonths;
        if (before == settings.RetentionMonths && row is not null)
        {
            return Result.Success;
        }
        if (row is null)
        {
            row = new AuditRetentionState();
            db.AuditRetention.Add(row);
        }
        var actor = await auditContext.GetActorAsync();
        row.RetentionMonths = settings.RetentionMonths;
        row.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        row.UpdatedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        if (before != settings.RetentionMonths)
        {
            var from = before.ToString(CultureInfo.InvariantCulture);
            var to = settings.RetentionMonths.ToString(CultureInfo.InvariantCulture);
            await audit.WriteAsync(new AuditRecord(AuditActions.AuditRetentionChanged, "AuditLog",
                AuditRetentionState.SingletonId.ToString(CultureInfo.InvariantCulture),
                AuditParameters.Of(("before", from), ("after", to)),
                changes: [new FieldChange("RetentionMonths", from, to)]), cancellationToken);
        }
        return Result.Success;
    }

    private static Task<AuditRetentionState?> ReadAsync(KurocoDbContext db, CancellationToken cancellationToken) =>
        db.AuditRetention.AsNoTracking().FirstOrDefaultAsync(s => s.Id == AuditRetentionState.SingletonId, cancellationToken);
}
