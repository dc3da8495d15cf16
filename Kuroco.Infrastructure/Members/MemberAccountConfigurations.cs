using Kuroco.Core.Members;
using Kuroco.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// An earlier password hash of a member, for the member policy's "no reuse of the last N passwords" (the staff history
/// table points at staff accounts, so members keep their own). Hashes only; removed with the member's row, and at most
/// <see cref="PasswordPolicy.HistoryCountMax"/> are kept per member.
/// </summary>
public sealed class MemberPasswordHistoryEntry
{
    public long Id { get; set; }

    public Guid MemberId { get; set; }

    public string PasswordHash { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }
}

internal sealed class MemberPasswordHistoryEntryConfiguration : IEntityTypeConfiguration<MemberPasswordHistoryEntry>
{
    public void Configure(EntityTypeBuilder<MemberPasswordHistoryEntry> builder)
    {
        builder.ToTable("MemberPasswordHistory");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.PasswordHash).HasMaxLength(Member.PasswordHashMaxLength).IsRequired();
        builder.HasIndex(e => new { e.MemberId, e.CreatedAtUtc });
        builder.HasOne<Member>().WithMany().HasForeignKey(e => e.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}
