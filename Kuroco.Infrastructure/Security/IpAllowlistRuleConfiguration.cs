using Kuroco.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Security;

internal sealed class IpAllowlistRuleConfiguration : IEntityTypeConfiguration<IpAllowlistRule>
{
    public void Configure(EntityTypeBuilder<IpAllowlistRule> builder)
    {
        builder.ToTable("IpAllowlistRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.List).HasConversion<int>();
        builder.Property(r => r.Cidr).HasMaxLength(IpAllowlistEntry.CidrMaxLength).IsRequired();
        builder.Property(r => r.Comment).HasMaxLength(IpAllowlistEntry.CommentMaxLength);
        builder.Property(r => r.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(r => new { r.List, r.Position });
    }
}
