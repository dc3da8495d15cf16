using Kuroco.Core.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Incidents;

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> builder)
    {
        builder.ToTable("Incidents");
        builder.HasKey(i => i.Id);
        // Ids are set by the code (Guid v7): a child added to a loaded incident is an insert, not an update.
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Title).HasMaxLength(Incident.TitleMaxLength).IsRequired();
        builder.Property(i => i.PublicTitle).HasMaxLength(Incident.TitleMaxLength).IsRequired();
        builder.Property(i => i.PublicSummary).HasMaxLength(Incident.SummaryMaxLength).IsRequired();
        builder.Property(i => i.Components).HasMaxLength(Incident.ComponentsMaxLength).IsRequired();
        builder.Property(i => i.AffectedCustomers).HasMaxLength(Incident.CustomersMaxLength).IsRequired();
        builder.Property(i => i.DetectedBy).HasMaxLength(Incident.ActorMaxLength).IsRequired();
        builder.Property(i => i.AlertRuleName).HasMaxLength(Incident.AlertRuleMaxLength);
        builder.Property(i => i.Step).HasConversion<int>();
        builder.Property(i => i.Severity).HasConversion<int>();
        builder.Property(i => i.Cause).HasConversion<int>();
        // One incident per alert (the alert listener's deduplication, also under a race).
        builder.HasIndex(i => i.AlertId).IsUnique();
        builder.HasIndex(i => new { i.Step, i.DetectedAtUtc });
        builder.HasMany(i => i.Transitions).WithOne().HasForeignKey(t => t.IncidentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(i => i.Notes).WithOne().HasForeignKey(n => n.IncidentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(i => i.Notices).WithOne().HasForeignKey(n => n.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IncidentTransitionConfiguration : IEntityTypeConfiguration<IncidentTransition>
{
    public void Configure(EntityTypeBuilder<IncidentTransition> builder)
    {
        builder.ToTable("IncidentTransitions");
        builder.HasKey(t => t.Id);
        // Ids are set by the code (Guid v7): a child added to a loaded incident is an insert, not an update.
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Step).HasConversion<int>();
        builder.Property(t => t.By).HasMaxLength(Incident.ActorMaxLength).IsRequired();
        // Each step is reached once: two operators pressing "next" at once cannot both move the incident.
        builder.HasIndex(t => new { t.IncidentId, t.Step }).IsUnique();
    }
}

internal sealed class IncidentNoteConfiguration : IEntityTypeConfiguration<IncidentNote>
{
    public void Configure(EntityTypeBuilder<IncidentNote> builder)
    {
        builder.ToTable("IncidentNotes");
        builder.HasKey(n => n.Id);
        // Ids are set by the code (Guid v7): a child added to a loaded incident is an insert, not an update.
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Text).HasMaxLength(IncidentNote.TextMaxLength).IsRequired();
        builder.Property(n => n.By).HasMaxLength(Incident.ActorMaxLength).IsRequired();
        builder.Property(n => n.Kind).HasConversion<int>();
        builder.HasIndex(n => new { n.IncidentId, n.AtUtc });
    }
}

internal sealed class IncidentNoticeConfiguration : IEntityTypeConfiguration<IncidentNotice>
{
    public void Configure(EntityTypeBuilder<IncidentNotice> builder)
    {
        builder.ToTable("IncidentNotices");
        builder.HasKey(n => n.Id);
        // Ids are set by the code (Guid v7): a child added to a loaded incident is an insert, not an update.
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Kind).HasConversion<int>();
        builder.Property(n => n.By).HasMaxLength(Incident.ActorMaxLength).IsRequired();
        builder.HasIndex(n => n.IncidentId);
    }
}

internal sealed class NoticeContactConfiguration : IEntityTypeConfiguration<NoticeContact>
{
    public void Configure(EntityTypeBuilder<NoticeContact> builder)
    {
        builder.ToTable("NoticeContacts");
        builder.HasKey(c => c.Id);
        // Ids are set by the code (Guid v7): a child added to a loaded incident is an insert, not an update.
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(NoticeContact.NameMaxLength).IsRequired();
        builder.Property(c => c.Email).HasMaxLength(Core.Common.EmailRules.MaxLength).IsRequired();
        builder.Property(c => c.Language).HasMaxLength(8).IsRequired();
        builder.Property(c => c.TimeZoneId).HasMaxLength(Core.Staff.StaffTimeZones.IdMaxLength).IsRequired();
        builder.Property(c => c.Components).HasMaxLength(Incident.ComponentsMaxLength).IsRequired();
        builder.HasIndex(c => c.Email).IsUnique();
    }
}

/// <summary>A single-use unsubscribe token (table NoticeUnsubscribeTokens): one per notice mail, stored as its SHA-256.</summary>
internal sealed class NoticeUnsubscribeToken
{
    public const int HashLength = 64;

    public Guid Id { get; set; }
    public Guid ContactId { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTime IssuedAtUtc { get; set; }
    public DateTime? UsedAtUtc { get; set; }
}

internal sealed class NoticeUnsubscribeTokenConfiguration : IEntityTypeConfiguration<NoticeUnsubscribeToken>
{
    public void Configure(EntityTypeBuilder<NoticeUnsubscribeToken> builder)
    {
        builder.ToTable("NoticeUnsubscribeTokens");
        builder.HasKey(t => t.Id);
        // Ids are set by the code (Guid v7): a child added to a loaded incident is an insert, not an update.
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.TokenHash).HasMaxLength(NoticeUnsubscribeToken.HashLength).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasOne<NoticeContact>().WithMany().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
