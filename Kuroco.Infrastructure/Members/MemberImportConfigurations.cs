using System.Text.Json;
using Kuroco.Core.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Members;

internal sealed class MemberImportConfiguration : IEntityTypeConfiguration<MemberImport>
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<MemberImport> builder)
    {
        builder.ToTable("MemberImports");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.FileName).HasMaxLength(MemberImport.FileNameMaxLength).IsRequired();
        builder.Property(i => i.DetectedEncoding).HasConversion<int>();
        builder.Property(i => i.Encoding).HasConversion<int>();
        builder.Property(i => i.Existing).HasConversion<int>();
        builder.Property(i => i.Status).HasConversion<int>();
        builder.Property(i => i.GroupDelimiter).HasMaxLength(8).IsRequired();
        builder.Property(i => i.Error).HasMaxLength(MemberImport.ErrorMaxLength);
        builder.Property(i => i.ActorId).HasMaxLength(450);
        builder.Property(i => i.ActorName).HasMaxLength(MemberImport.ActorNameMaxLength).IsRequired();
        builder.Property(i => i.ActorRoles).HasMaxLength(MemberImport.ActorRolesMaxLength).IsRequired();
        builder.Property(i => i.ConcurrencyToken).IsConcurrencyToken();
        builder.Ignore(i => i.IsRunning);
        builder.Ignore(i => i.Settings);
        builder.Property(i => i.Columns)
            .HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<MemberImportColumn>>(v, Json) ?? new List<MemberImportColumn>(),
                new ValueComparer<List<MemberImportColumn>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (h, c) => HashCode.Combine(h, c.GetHashCode())),
                    v => v.ToList()))
            .IsRequired();
        // The import page's list (newest first) and the cleanup job's scan.
        builder.HasIndex(i => i.CreatedAtUtc);
    }
}

internal sealed class MemberImportHeaderMemoryConfiguration : IEntityTypeConfiguration<MemberImportHeaderMemory>
{
    public void Configure(EntityTypeBuilder<MemberImportHeaderMemory> builder)
    {
        builder.ToTable("MemberImportHeaders");
        builder.HasKey(h => h.Header);
        builder.Property(h => h.Header).HasMaxLength(MemberImportHeaderMemory.HeaderMaxLength);
        builder.Property(h => h.Target).HasConversion<int>();
        builder.Property(h => h.FieldKey).HasMaxLength(Kuroco.Core.Content.FieldDefinition.KeyMaxLength);
    }
}

internal sealed class MemberImportInvitationConfiguration : IEntityTypeConfiguration<MemberImportInvitation>
{
    public void Configure(EntityTypeBuilder<MemberImportInvitation> builder)
    {
        builder.ToTable("MemberImportInvitations");
        builder.HasKey(i => new { i.ImportId, i.MemberId });
        builder.Property(i => i.Error).HasMaxLength(MemberImportInvitation.ErrorMaxLength);
        builder.HasOne<MemberImport>().WithMany().HasForeignKey(i => i.ImportId).OnDelete(DeleteBehavior.Cascade);
        // Erasing or deleting a member drops what an import still owed it.
        builder.HasOne<Member>().WithMany().HasForeignKey(i => i.MemberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.ImportId, i.SentAtUtc });
    }
}
