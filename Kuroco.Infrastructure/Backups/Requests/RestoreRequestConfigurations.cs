using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Backups.Requests;

internal sealed class RestoreRequestConfiguration : IEntityTypeConfiguration<RestoreRequest>
{
    public void Configure(EntityTypeBuilder<RestoreRequest> builder)
    {
        builder.ToTable("RestoreRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Reference).HasMaxLength(RestoreRequest.ReferenceMaxLength).IsRequired();
        builder.HasIndex(r => r.Reference).IsUnique();
        // The per-year counter: two intakes that pick the same number cannot both be saved.
        builder.HasIndex(r => new { r.Year, r.Number }).IsUnique();
        builder.Property(r => r.CustomerName).HasMaxLength(RestoreRequest.CustomerNameMaxLength).IsRequired();
        builder.Property(r => r.ContactEmail).HasMaxLength(EmailRules.MaxLength).IsRequired();
        builder.Property(r => r.ContactLanguage).HasMaxLength(8).IsRequired();
        builder.Property(r => r.ScopeJson).IsRequired();
        builder.Property(r => r.Notes).HasMaxLength(RestoreRequest.NotesMaxLength);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(r => new { r.State, r.ReceivedAtUtc });
        builder.HasIndex(r => r.ReceivedAtUtc);
        builder.Property(r => r.Work).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ReceivedByStaffId).HasMaxLength(450);
        builder.Property(r => r.ApprovalTokenHash).HasMaxLength(64);
        builder.HasIndex(r => r.ApprovalTokenHash).IsUnique();
        builder.Property(r => r.ApprovalMethod).HasMaxLength(16);
        builder.Property(r => r.ApprovalNote).HasMaxLength(RestoreRequest.NoteMaxLength);
        builder.Property(r => r.GenerationId).HasMaxLength(100);
        builder.Property(r => r.LastError).HasMaxLength(RestoreRequestEvent.DetailMaxLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.Scope);
        builder.Ignore(r => r.IsOpen);
        builder.HasMany(r => r.Events).WithOne().HasForeignKey(e => e.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RestoreRequestEventConfiguration : IEntityTypeConfiguration<RestoreRequestEvent>
{
    public void Configure(EntityTypeBuilder<RestoreRequestEvent> builder)
    {
        builder.ToTable("RestoreRequestEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Event).HasMaxLength(32).IsRequired();
        builder.Property(e => e.StaffId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(256).IsRequired();
        builder.Property(e => e.Detail).HasMaxLength(RestoreRequestEvent.DetailMaxLength);
        builder.HasIndex(e => new { e.RequestId, e.AtUtc });
    }
}

internal sealed class RestoreRequestSettingsConfiguration : IEntityTypeConfiguration<RestoreRequestSettings>
{
    public void Configure(EntityTypeBuilder<RestoreRequestSettings> builder)
    {
        builder.ToTable("RestoreRequestSettings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
    }
}
