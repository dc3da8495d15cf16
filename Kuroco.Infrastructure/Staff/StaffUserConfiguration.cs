using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Staff;

internal sealed class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(StaffRules.DisplayNameMaxLength).IsRequired();
        builder.Property(u => u.TimeZoneId).HasMaxLength(StaffTimeZones.IdMaxLength).IsRequired();
        builder.Property(u => u.Language).HasMaxLength(StaffLanguages.MaxLength);
    }
}
