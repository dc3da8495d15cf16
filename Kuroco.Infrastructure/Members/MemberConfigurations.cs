using System.Text.Json;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Members;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.ToTable("Members");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Email).HasMaxLength(Member.EmailMaxLength).IsRequired();
        builder.Property(m => m.NormalizedEmail).HasMaxLength(Member.EmailMaxLength).IsRequired();
        builder.HasIndex(m => m.NormalizedEmail).IsUnique();
        builder.Property(m => m.DisplayName).HasMaxLength(Member.DisplayNameMaxLength).IsRequired();
        builder.Property(m => m.NameKana).HasMaxLength(Member.NameKanaMaxLength);
        builder.Property(m => m.Language).HasMaxLength(8).IsRequired();
        builder.Property(m => m.Status).HasConversion<int>();
        builder.Property(m => m.PasswordHash).HasMaxLength(Member.PasswordHashMaxLength);
        builder.Property(m => m.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(m => m.ProfileJson).IsRequired();
        builder.Property(m => m.SearchText).HasMaxLength(Member.SearchTextMaxLength).IsRequired();
        builder.Property(m => m.ConcurrencyToken).IsConcurrencyToken();
        builder.HasMany(m => m.Groups).WithOne().HasForeignKey(g => g.MemberId).OnDelete(DeleteBehavior.Cascade);

        // The list's sorts and filters at 100,000 members: each ends with the id so that keyset paging is stable.
        builder.HasIndex(m => new { m.CreatedAtUtc, m.Id });
        builder.HasIndex(m => new { m.LastSignInAtUtc, m.Id });
        builder.HasIndex(m => new { m.Status, m.CreatedAtUtc, m.Id });
        builder.HasIndex(m => new { m.DisplayName, m.Id });
    }
}

internal sealed class MemberGroupConfiguration : IEntityTypeConfiguration<MemberGroup>
{
    public void Configure(EntityTypeBuilder<MemberGroup> builder)
    {
        builder.ToTable("MemberGroups");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.NameJa).HasMaxLength(MemberGroup.NameMaxLength).IsRequired();
        builder.Property(g => g.NameEn).HasMaxLength(MemberGroup.NameMaxLength).IsRequired();
        builder.Property(g => g.ConcurrencyToken).IsConcurrencyToken();
    }
}

internal sealed class MemberGroupMembershipConfiguration : IEntityTypeConfiguration<MemberGroupMembership>
{
    public void Configure(EntityTypeBuilder<MemberGroupMembership> builder)
    {
        builder.ToTable("MemberGroupMemberships");
        builder.HasKey(m => new { m.MemberId, m.GroupId });
        // "Members of group G" (list filter, group deletion) without scanning the memberships.
        builder.HasIndex(m => new { m.GroupId, m.MemberId });
        builder.HasOne<MemberGroup>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MemberSignInRecordConfiguration : IEntityTypeConfiguration<MemberSignInRecord>
{
    public void Configure(EntityTypeBuilder<MemberSignInRecord> builder)
    {
        builder.ToTable("MemberSignIns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.IpAddress).HasMaxLength(MemberSignInRecord.IpAddressMaxLength);
        builder.Property(r => r.UserAgent).HasMaxLength(MemberSignInRecord.UserAgentMaxLength);
        builder.Property(r => r.Outcome).HasConversion<int>();
        builder.HasIndex(r => new { r.MemberId, r.AtUtc });
        builder.HasOne<Member>().WithMany().HasForeignKey(r => r.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MemberTokenConfiguration : IEntityTypeConfiguration<MemberToken>
{
    public void Configure(EntityTypeBuilder<MemberToken> builder)
    {
        builder.ToTable("MemberTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Purpose).HasConversion<int>();
        builder.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => new { t.MemberId, t.Purpose });
        builder.HasOne<Member>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MemberRefreshTokenConfiguration : IEntityTypeConfiguration<MemberRefreshToken>
{
    public void Configure(EntityTypeBuilder<MemberRefreshToken> builder)
    {
        builder.ToTable("MemberRefreshTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.FamilyId);
        builder.HasIndex(t => new { t.MemberId, t.RevokedAtUtc });
        builder.HasOne<Member>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MemberConsentConfiguration : IEntityTypeConfiguration<MemberConsent>
{
    public void Configure(EntityTypeBuilder<MemberConsent> builder)
    {
        builder.ToTable("MemberConsents");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Kind).HasMaxLength(MemberConsent.KindMaxLength).IsRequired();
        builder.Property(c => c.Version).HasMaxLength(MemberConsent.VersionMaxLength).IsRequired();
        builder.HasIndex(c => new { c.MemberId, c.Kind });
        builder.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The registration settings are one row (Id = 1); the key is a shadow property.</summary>
internal sealed class MemberRegistrationSettingsConfiguration : IEntityTypeConfiguration<MemberRegistrationSettings>
{
    public const int SingletonId = 1;
    public const string IdProperty = "Id";

    public void Configure(EntityTypeBuilder<MemberRegistrationSettings> builder)
    {
        builder.ToTable("MemberRegistrationSettings");
        builder.Property<int>(IdProperty).ValueGeneratedNever();
        builder.HasKey(IdProperty);
        builder.Property(s => s.Mode).HasConversion<int>();
        builder.Property(s => s.AllowedDomains).HasConversion(MemberJson.StringList, MemberJson.StringListComparer).IsRequired();
        builder.Property(s => s.DeniedDomains).HasConversion(MemberJson.StringList, MemberJson.StringListComparer).IsRequired();
    }
}

/// <summary>The custom profile fields are one row (Id = 1): the field list as one JSON column, like a content type's.</summary>
internal sealed class MemberProfileSchemaConfiguration : IEntityTypeConfiguration<MemberProfileSchema>
{
    public const int SingletonId = 1;
    public const string IdProperty = "Id";

    public void Configure(EntityTypeBuilder<MemberProfileSchema> builder)
    {
        builder.ToTable("MemberProfileSchemas");
        builder.Property<int>(IdProperty).ValueGeneratedNever();
        builder.HasKey(IdProperty);
        builder.Ignore(s => s.ActiveFields);
        builder.Property(s => s.ConcurrencyToken).IsConcurrencyToken();
        builder.Property(s => s.Fields)
            .HasConversion(
                v => JsonSerializer.Serialize(v, MemberJson.Options),
                v => JsonSerializer.Deserialize<List<FieldDefinition>>(v, MemberJson.Options) ?? new List<FieldDefinition>(),
                new ValueComparer<List<FieldDefinition>>(
                    (a, b) => JsonSerializer.Serialize(a, MemberJson.Options) == JsonSerializer.Serialize(b, MemberJson.Options),
                    v => JsonSerializer.Serialize(v, MemberJson.Options).GetHashCode(StringComparison.Ordinal),
                    v => v.Select(f => f.Clone()).ToList()))
            .IsRequired();
    }
}

internal static class MemberJson
{
    public static readonly JsonSerializerOptions Options = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<List<string>, string> StringList = new(
        v => JsonSerializer.Serialize(v, Options),
        v => JsonSerializer.Deserialize<List<string>>(v, Options) ?? new List<string>());

    public static readonly ValueComparer<List<string>> StringListComparer = new(
        (a, b) => a!.SequenceEqual(b!),
        v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode(StringComparison.Ordinal))),
        v => v.ToList());
}
