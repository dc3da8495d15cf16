using Kuroco.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// The one row of audit retention (table AuditRetention, Id 1): the setting, the database copy of the
/// checkpoint (the file in the data folder is the authority; <see cref="AuditReader"/> checks they agree)
/// and the last purge's result. No row means the defaults and nothing purged.
/// </summary>
internal sealed class AuditRetentionState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public int RetentionMonths { get; set; } = AuditRetentionSettings.MinimumMonths;
    public DateTime? UpdatedAtUtc { get; set; }
    public string? UpdatedBy { get; set; }

    public long? CheckpointSequence { get; set; }
    public string? CheckpointHash { get; set; }
    public DateTime? CheckpointPurgedAtUtc { get; set; }

    public DateTime? LastPurgeAtUtc { get; set; }
    public DateTime? LastPurgeCutoffUtc { get; set; }
    public long LastPurgeCount { get; set; }
    public AuditPurgeOutcome? LastPurgeOutcome { get; set; }

    public AuditCheckpoint? Checkpoint =>
        CheckpointSequence is { } sequence && CheckpointHash is { } hash && CheckpointPurgedAtUtc is { } at
            ? new AuditCheckpoint(sequence, hash, at)
            : null;

    public void SetCheckpoint(AuditCheckpoint checkpoint)
    {
        CheckpointSequence = checkpoint.Sequence;
        CheckpointHash = checkpoint.Hash;
        CheckpointPurgedAtUtc = checkpoint.PurgedAtUtc;
    }
}

/// <summary>One "Verify now" run and its progress (table AuditVerificationRuns), written by the job, polled by the page.</summary>
internal sealed class AuditVerificationRunRow
{
    public Guid Id { get; set; }
    public AuditVerificationStatus Status { get; set; }
    public DateTime RequestedAtUtc { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }

    /// <summary>The heartbeat: last time the job wrote progress. A run silent for long was lost with its process.</summary>
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>The instance (machine) whose process runs the job; null until it starts.</summary>
    public string? RunnerInstance { get; set; }

    /// <summary>The process (one per app start) that runs the job: after a restart, runs of an older process of this instance are interrupted.</summary>
    public string? RunnerProcess { get; set; }
    public long TotalEntries { get; set; }
    public long CheckedEntries { get; set; }
    public AuditChainProblem Problem { get; set; }
    public long? FirstBrokenSequence { get; set; }

    public AuditVerificationRun ToRun() => ToRun(Status);

    public AuditVerificationRun ToRun(AuditVerificationStatus status) => new(Id, status, RequestedAtUtc, RequestedBy, StartedAtUtc, FinishedAtUtc,
        TotalEntries, CheckedEntries, Problem, FirstBrokenSequence);
}

internal sealed class AuditRetentionStateConfiguration : IEntityTypeConfiguration<AuditRetentionState>
{
    public void Configure(EntityTypeBuilder<AuditRetentionState> builder)
    {
        builder.ToTable("AuditRetention");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.UpdatedBy).HasMaxLength(AuditEntry.ActorNameMaxLength);
        builder.Property(s => s.CheckpointHash).HasMaxLength(AuditEntry.HashLength).IsFixedLength();
        builder.Property(s => s.LastPurgeOutcome).HasConversion<int?>();
        builder.Ignore(s => s.Checkpoint);
    }
}

internal sealed class AuditVerificationRunConfiguration : IEntityTypeConfiguration<AuditVerificationRunRow>
{
    public void Configure(EntityTypeBuilder<AuditVerificationRunRow> builder)
    {
        builder.ToTable("AuditVerificationRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.RequestedBy).HasMaxLength(AuditEntry.ActorNameMaxLength).IsRequired();
        builder.Property(r => r.RunnerInstance).HasMaxLength(AuditVerificationRunner.InstanceMaxLength);
        builder.Property(r => r.RunnerProcess).HasMaxLength(AuditVerificationRunner.ProcessMaxLength);
        builder.Property(r => r.Status).HasConversion<int>();
        builder.Property(r => r.Problem).HasConversion<int>();
        builder.HasIndex(r => r.RequestedAtUtc);
    }
}
