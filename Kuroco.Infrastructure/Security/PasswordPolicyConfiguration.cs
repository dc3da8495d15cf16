using Kuroco.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// Each policy is one row of table PasswordPolicies: the staff policy (Id = 1) and the website members' policy (Id = 2).
/// The key and the change time are shadow properties.
/// </summary>
internal sealed class PasswordPolicyConfiguration : IEntityTypeConfiguration<PasswordPolicy>
{
    public const int SingletonId = 1;
    public const int MemberPolicyId = 2;
    public const string IdProperty = "Id";
    public const string UpdatedAtProperty = "UpdatedAtUtc";

    public void Configure(EntityTypeBuilder<PasswordPolicy> builder)
    {
        builder.ToTable("PasswordPolicies");
        builder.Property<int>(IdProperty).ValueGeneratedNever();
        builder.HasKey(IdProperty);
        builder.Property<DateTime>(UpdatedAtProperty);
        builder.Ignore(p => p.LockoutSpan);
    }
}

/// <summary>One earlier password of a user, kept as its hash only (never the password).</summary>
public sealed class PasswordHistoryEntry
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
}

internal sealed class PasswordHistoryEntryConfiguration : IEntityTypeConfiguration<PasswordHistoryEntry>
{
    public void Configure(EntityTypeBuilder<PasswordHistoryEntry> builder)
    {
        builder.ToTable("PasswordHistory");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.UserId).HasMaxLength(450).IsRequired();
        builder.Property(e => e.PasswordHash).HasMaxLength(1024).IsRequired();
        builder.HasIndex(e => new { e.UserId, e.CreatedAtUtc });
        builder.HasOne<Identity.StaffUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
