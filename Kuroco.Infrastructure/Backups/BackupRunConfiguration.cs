using Kuroco.Core.Backups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Backups;

/// <summary>One backup run (table BackupRuns): what H3's screen and the dashboard alarm read.</summary>
internal sealed class BackupRunRow
{
    public const int ErrorMaxLength = 2000;

    public Guid Id { get; set; }
    public BackupTrigger Trigger { get; set; }
    public BackupRunStatus Status { get; set; }
    public DateTime QueuedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    /// <summary>Last sign of life of the job running it (written with the progress, at least every 15 s).</summary>
    public DateTime HeartbeatAtUtc { get; set; }
    public string? GenerationId { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public string? Step { get; set; }
    public double Fraction { get; set; }
    public string? RequestedBy { get; set; }

    public BackupRunInfo ToInfo(DateTime nowUtc)
    {
        var stale = Status switch
        {
            // Queued: waiting for a free worker may take a while; never picked up in half an hour means it never will be.
            BackupRunStatus.Queued => nowUtc - HeartbeatAtUtc > BackupRunInfo.QueuedStaleAfter,
            BackupRunStatus.Running => nowUtc - HeartbeatAtUtc > BackupRunInfo.StaleAfter,
            _ => false,
        };
        return new BackupRunInfo(Id, Trigger, stale ? BackupRunStatus.Interrupted : Status, QueuedAtUtc, StartedAtUtc, FinishedAtUtc,
            GenerationId, stale ? "interrupted" : ErrorCode, ErrorMessage, Step, Fraction, RequestedBy);
    }
}

/// <summary>The one row of the backup settings (table BackupSettings, Id 1). No row means the configured defaults.</summary>
internal sealed class BackupSettingsRow
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public int WindowStartMinutes { get; set; }
    public int WindowEndMinutes { get; set; }
    public string TimeZoneId { get; set; } = "";
    public int Retention { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string UpdatedBy { get; set; } = "";
}

internal sealed class BackupRunConfiguration : IEntityTypeConfiguration<BackupRunRow>
{
    public void Configure(EntityTypeBuilder<BackupRunRow> builder)
    {
        builder.ToTable("BackupRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Trigger).HasConversion<int>();
        builder.Property(r => r.Status).HasConversion<int>();
        builder.Property(r => r.GenerationId).HasMaxLength(32);
        builder.Property(r => r.ErrorCode).HasMaxLength(32);
        builder.Property(r => r.ErrorMessage).HasMaxLength(BackupRunRow.ErrorMaxLength);
        builder.Property(r => r.Step).HasMaxLength(32);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.HasIndex(r => r.QueuedAtUtc);
        builder.HasIndex(r => r.Status);
    }
}

internal sealed class BackupSettingsConfiguration : IEntityTypeConfiguration<BackupSettingsRow>
{
    public void Configure(EntityTypeBuilder<BackupSettingsRow> builder)
    {
        builder.ToTable("BackupSettings");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(r => r.UpdatedBy).HasMaxLength(256).IsRequired();
    }
}
