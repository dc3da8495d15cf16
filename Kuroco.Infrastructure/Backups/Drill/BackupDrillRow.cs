using Kuroco.Core.Backups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Backups.Drill;

/// <summary>One restore drill's result (table BackupDrills), so /backups shows it beside its generation.</summary>
internal sealed class BackupDrillRow
{
    public const int GenerationIdMaxLength = 64;
    public const int ProblemMaxLength = 2000;

    public Guid Id { get; set; }
    public string GenerationId { get; set; } = "";
    public DateTime RanAtUtc { get; set; }
    public bool Passed { get; set; }
    public long DurationMilliseconds { get; set; }
    public string? Problem { get; set; }

    public BackupDrillResult ToResult() =>
        new(GenerationId, new DateTimeOffset(RanAtUtc, TimeSpan.Zero), Passed, TimeSpan.FromMilliseconds(DurationMilliseconds), Problem);
}

internal sealed class BackupDrillRowConfiguration : IEntityTypeConfiguration<BackupDrillRow>
{
    public void Configure(EntityTypeBuilder<BackupDrillRow> builder)
    {
        builder.ToTable("BackupDrills");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.GenerationId).HasMaxLength(BackupDrillRow.GenerationIdMaxLength).IsRequired();
        builder.Property(r => r.Problem).HasMaxLength(BackupDrillRow.ProblemMaxLength);
        builder.HasIndex(r => new { r.GenerationId, r.RanAtUtc });
    }
}
