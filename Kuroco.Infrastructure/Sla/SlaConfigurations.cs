using Kuroco.Core.Sla;
using Kuroco.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Sla;

/// <summary>The one row of the SLA settings (table SlaSettings, Id 1). No row means the defaults of <see cref="SlaSettings"/>.</summary>
internal sealed class SlaSettingsRow
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public decimal TargetPercent { get; set; }

    /// <summary>The tiers as invariant text, "below:credit" pairs separated by ';' (e.g. "99.9:10;99:25;95:50").</summary>
    public string CreditTiers { get; set; } = "";
    public string CompanyTimeZone { get; set; } = "";
    public bool MailMonthlyReport { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>One monthly report mailed to one Administrator (the job never mails a month twice to anyone).</summary>
internal sealed class SlaReportDelivery
{
    /// <summary>The month, "yyyy-MM".</summary>
    public string Period { get; set; } = "";
    public string UserId { get; set; } = "";
    public DateTime SentAtUtc { get; set; }
}

internal sealed class SlaSettingsRowConfiguration : IEntityTypeConfiguration<SlaSettingsRow>
{
    public void Configure(EntityTypeBuilder<SlaSettingsRow> builder)
    {
        builder.ToTable("SlaSettings");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.TargetPercent).HasPrecision(8, 3);
        builder.Property(r => r.CreditTiers).HasMaxLength(400).IsRequired();
        builder.Property(r => r.CompanyTimeZone).HasMaxLength(StaffTimeZones.IdMaxLength).IsRequired();
        builder.Property(r => r.UpdatedBy).HasMaxLength(256).IsRequired();
    }
}

internal sealed class MaintenanceWindowConfiguration : IEntityTypeConfiguration<MaintenanceWindow>
{
    public void Configure(EntityTypeBuilder<MaintenanceWindow> builder)
    {
        builder.ToTable("MaintenanceWindows");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.TitleEn).HasMaxLength(SlaLimits.TitleMaxLength).IsRequired();
        builder.Property(w => w.TitleJa).HasMaxLength(SlaLimits.TitleMaxLength).IsRequired();
        builder.Property(w => w.DescriptionEn).HasMaxLength(SlaLimits.DescriptionMaxLength).IsRequired();
        builder.Property(w => w.DescriptionJa).HasMaxLength(SlaLimits.DescriptionMaxLength).IsRequired();
        builder.Property(w => w.Components).HasMaxLength(SlaLimits.ComponentsMaxLength).IsRequired();
        builder.Ignore(w => w.ComponentList);
        builder.Ignore(w => w.IsCancelled);
        builder.HasIndex(w => new { w.StartUtc, w.EndUtc });
    }
}

internal sealed class SlaReportDeliveryConfiguration : IEntityTypeConfiguration<SlaReportDelivery>
{
    public void Configure(EntityTypeBuilder<SlaReportDelivery> builder)
    {
        builder.ToTable("SlaReportDeliveries");
        builder.HasKey(d => new { d.Period, d.UserId });
        builder.Property(d => d.Period).HasMaxLength(7);
        builder.Property(d => d.UserId).HasMaxLength(450);
    }
}
