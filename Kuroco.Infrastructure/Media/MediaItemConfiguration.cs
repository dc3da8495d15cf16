using Kuroco.Core.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Media;

internal sealed class MediaItemConfiguration : IEntityTypeConfiguration<MediaItem>
{
    public void Configure(EntityTypeBuilder<MediaItem> builder)
    {
        builder.ToTable("MediaItems");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.OriginalFileName).HasMaxLength(MediaItem.FileNameMaxLength).IsRequired();
        builder.Property(m => m.ContentType).HasMaxLength(MediaItem.ContentTypeMaxLength).IsRequired();
        builder.Property(m => m.Sha256).HasMaxLength(MediaItem.Sha256Length).IsFixedLength().IsRequired();
        builder.Property(m => m.AltTextJa).HasMaxLength(MediaItem.AltTextMaxLength);
        builder.Property(m => m.AltTextEn).HasMaxLength(MediaItem.AltTextMaxLength);
        builder.Property(m => m.TitleJa).HasMaxLength(MediaItem.TitleMaxLength);
        builder.Property(m => m.TitleEn).HasMaxLength(MediaItem.TitleMaxLength);
        builder.Property(m => m.UploadedByUserId).HasMaxLength(450);
        builder.Property(m => m.UploadedByName).HasMaxLength(MediaItem.UploadedByNameMaxLength).IsRequired();
        builder.Property(m => m.DeletedByUserId).HasMaxLength(450);
        builder.Ignore(m => m.IsImage);
        builder.Ignore(m => m.Url);
        builder.Ignore(m => m.ThumbnailUrl);
        builder.HasIndex(m => new { m.DeletedAtUtc, m.UploadedAtUtc });
        builder.HasIndex(m => m.Sha256);
    }
}
