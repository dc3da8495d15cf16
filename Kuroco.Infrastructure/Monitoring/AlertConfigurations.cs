using Kuroco.Core.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Monitoring;

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> builder)
    {
        builder.ToTable("AlertRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(AlertRule.NameMaxLength).IsRequired();
        builder.Property(r => r.Signal).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Comparison).HasConversion<int>();
        builder.Property(r => r.Severity).HasConversion<int>();
        builder.Property(r => r.UpdatedBy).HasMaxLength(256);
        builder.Ignore(r => r.Duration);
    }
}

internal sealed class AlertRecordConfiguration : IEntityTypeConfiguration<AlertRecord>
{
    public void Configure(EntityTypeBuilder<AlertRecord> builder)
    {
        builder.ToTable("AlertRecords");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.RuleName).HasMaxLength(AlertRule.NameMaxLength).IsRequired();
        builder.Property(a => a.Signal).HasMaxLength(64).IsRequired();
        builder.Property(a => a.Comparison).HasConversion<int>();
        builder.Property(a => a.Severity).HasConversion<int>();
        builder.Ignore(a => a.IsOpen);
        builder.HasIndex(a => new { a.RuleId, a.ResolvedAtUtc });
        builder.HasIndex(a => a.RaisedAtUtc);
    }
}
