using Kuroco.Core.Audit.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Audit.Review;

internal sealed class AuditReviewConfiguration : IEntityTypeConfiguration<AuditReview>
{
    public void Configure(EntityTypeBuilder<AuditReview> builder)
    {
        builder.ToTable("AuditReviews");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Month).HasMaxLength(AuditReview.MonthLength).IsFixedLength().IsRequired();
        builder.Property(r => r.State).HasConversion<int>();
        builder.Property(r => r.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Totals).IsRequired();
        builder.Property(r => r.RequestedBy).HasMaxLength(AuditReview.NameMaxLength).IsRequired();
        builder.Property(r => r.SignedById).HasMaxLength(450);
        builder.Property(r => r.SignedByName).HasMaxLength(AuditReview.NameMaxLength);
        builder.Property(r => r.SignOffHash).HasMaxLength(64);
        builder.Ignore(r => r.IsReadOnly);
        // One row per month and version: "Prepare now" adds the next version, never rewrites one.
        builder.HasIndex(r => new { r.Month, r.Version }).IsUnique();
        builder.HasMany(r => r.Findings).WithOne().HasForeignKey(f => f.ReviewId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditFindingConfiguration : IEntityTypeConfiguration<AuditFinding>
{
    public void Configure(EntityTypeBuilder<AuditFinding> builder)
    {
        builder.ToTable("AuditReviewFindings");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Kind).HasConversion<int>();
        builder.Property(f => f.Decision).HasConversion<int>();
        builder.Property(f => f.Subject).HasMaxLength(AuditFinding.SubjectMaxLength).IsRequired();
        builder.Property(f => f.Detail).HasMaxLength(AuditFinding.SubjectMaxLength).IsRequired();
        builder.Property(f => f.Sequences).IsRequired();
        builder.Property(f => f.Actions).HasMaxLength(AuditFinding.ActionsMaxLength).IsRequired();
        builder.Property(f => f.Comment).HasMaxLength(AuditFinding.CommentMaxLength);
        builder.Property(f => f.DecidedById).HasMaxLength(450);
        builder.Property(f => f.DecidedByName).HasMaxLength(AuditReview.NameMaxLength);
        builder.Ignore(f => f.SequenceList);
        builder.Ignore(f => f.ActionList);
        builder.HasIndex(f => f.ReviewId);
    }
}

/// <summary>The one row of the review settings (table AuditReviewSettings, Id 1). No row means the defaults.</summary>
internal sealed class AuditReviewSettingsRow
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public int FailedSignInThreshold { get; set; }
    public int FailedSignInWindowMinutes { get; set; }
    public int NewAddressLookbackDays { get; set; }
    public int DeletionThreshold { get; set; }
    public int DeletionWindowMinutes { get; set; }
    public int BusinessStartMinutes { get; set; }
    public int BusinessEndMinutes { get; set; }
    public string BusinessDays { get; set; } = "";
    public int OverdueDays { get; set; }
    public string TimeZoneId { get; set; } = "";
    public DateTime UpdatedAtUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class AuditReviewSettingsRowConfiguration : IEntityTypeConfiguration<AuditReviewSettingsRow>
{
    public void Configure(EntityTypeBuilder<AuditReviewSettingsRow> builder)
    {
        builder.ToTable("AuditReviewSettings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.BusinessDays).HasMaxLength(32).IsRequired();
        builder.Property(s => s.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
    }
}
