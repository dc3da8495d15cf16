using Kuroco.Core.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Api;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeySecret.PrefixLength).IsRequired().IsUnicode(false);
        builder.Property(k => k.SecretHash).HasMaxLength(ApiKeySecret.HashLength).IsRequired();
        builder.Property(k => k.Types).HasMaxLength(ApiKey.MaxTypes * (ContentTypeIds.MaxLength + 1)).IsRequired().IsUnicode(false);
        builder.Property(k => k.Access).HasConversion<int>();
        builder.Property(k => k.CreatedBy).HasMaxLength(256);
        builder.Property(k => k.RevokedBy).HasMaxLength(256);
        builder.Ignore(k => k.TypeList);
        builder.Ignore(k => k.Scope);
        // Lookups go by the non-secret prefix; the hash is then compared in constant time.
        builder.HasIndex(k => k.Prefix);
        builder.HasIndex(k => k.CreatedAtUtc);
    }
}
