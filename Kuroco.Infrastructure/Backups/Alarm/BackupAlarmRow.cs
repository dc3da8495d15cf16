using Kuroco.Core.Backups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Backups.Alarm;

/// <summary>A night's backup alarm (table BackupAlarms, one row per night: the unique night makes the alarm and its mail once per night).</summary>
internal sealed class BackupAlarmRow
{
    public int Id { get; set; }

    /// <summary>The local date (in the backup zone) the night's window starts on.</summary>
    public DateOnly Night { get; set; }

    public BackupAlarmKind Kind { get; set; }
    public DateTime WindowEndUtc { get; set; }
    public DateTime RaisedAtUtc { get; set; }

    public BackupAlarmRecord ToRecord() =>
        new(Night, Kind, new DateTimeOffset(WindowEndUtc, TimeSpan.Zero), new DateTimeOffset(RaisedAtUtc, TimeSpan.Zero));
}

internal sealed class BackupAlarmRowConfiguration : IEntityTypeConfiguration<BackupAlarmRow>
{
    public void Configure(EntityTypeBuilder<BackupAlarmRow> builder)
    {
        builder.ToTable("BackupAlarms");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Kind).HasConversion<int>();
        builder.HasIndex(r => r.Night).IsUnique();
    }
}
