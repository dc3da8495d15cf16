using Kuroco.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public const string SearchTextColumn = "SearchText";

    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        // The sequence is the key: two writers racing for the same position cannot both win.
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.ActorId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(AuditEntry.ActorNameMaxLength).IsRequired();
        builder.Property(e => e.ActorRoles).HasMaxLength(AuditEntry.ActorRolesMaxLength).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength).IsRequired();
        builder.Property(e => e.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength).IsRequired();
        builder.Property(e => e.EntityId).HasMaxLength(AuditEntry.EntityIdMaxLength);
        builder.Property(e => e.Summary).HasMaxLength(AuditEntry.SummaryMaxLength).IsRequired();
        builder.Property(e => e.Outcome).HasConversion<int>();
        // Entries written before issue 12 are format 1 (the migration fills it in); new ones say so explicitly.
        builder.Property(e => e.FormatVersion).IsRequired();
        builder.Property(e => e.Parameters);
        // The rendered summaries for the free-text index (IAuditSearchText): not part of the entry, never read back.
        builder.Property<string>(SearchTextColumn);
        builder.Property(e => e.IpAddress).HasMaxLength(AuditEntry.IpAddressMaxLength);
        builder.Property(e => e.UserAgent).HasMaxLength(AuditEntry.UserAgentMaxLength);
        builder.Property(e => e.CorrelationId).HasMaxLength(AuditEntry.CorrelationIdMaxLength);
        builder.Property(e => e.PreviousHash).HasMaxLength(AuditEntry.HashLength).IsFixedLength().IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(AuditEntry.HashLength).IsFixedLength().IsRequired();
        // The search's order (newest first by time, then sequence) and its keyset seek; with one action or one actor,
        // the range of that action's or actor's entries in a time span (AuditSearchQuery, migration AuditSearchIndex).
        builder.HasIndex(e => new { e.OccurredAtUtc, e.Sequence });
        builder.HasIndex(e => new { e.Action, e.OccurredAtUtc, e.Sequence });
        builder.HasIndex(e => new { e.ActorName, e.OccurredAtUtc, e.Sequence });
        // One actor and one action together (the officer's commonest question: what did this person do of this kind):
        // both equalities, then the range, in one index (migration AuditSearchSpeed); the actor by id likewise in time order.
        builder.HasIndex(e => new { e.ActorName, e.Action, e.OccurredAtUtc, e.Sequence });
        builder.HasIndex(e => new { e.ActorId, e.OccurredAtUtc, e.Sequence });
        // One entity's history, newest first (a member's page lists its entries).
        builder.HasIndex(e => new { e.EntityType, e.EntityId, e.Sequence });
    }
}
