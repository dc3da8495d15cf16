using System.Text.Json;
using Kuroco.Core.Content;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Content;

internal sealed class ContentTypeConfiguration : IEntityTypeConfiguration<ContentType>
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<ContentType> builder)
    {
        builder.ToTable("ContentTypes");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(ContentType.NameMaxLength).IsRequired();
        builder.Property(t => t.ApiId).HasMaxLength(ContentType.ApiIdMaxLength).IsRequired();
        builder.HasIndex(t => t.ApiId).IsUnique();
        builder.Property(t => t.Description).HasMaxLength(ContentType.DescriptionMaxLength);
        builder.Property(t => t.ConcurrencyToken).IsConcurrencyToken();
        builder.Ignore(t => t.ActiveFields);
        builder.Ignore(t => t.ReviewerEmailList);
        builder.Property(t => t.ReviewerRole).HasMaxLength(64);
        builder.Property(t => t.ReviewerEmails).HasMaxLength(2000);
        // The field list is one JSON text column: it is always read and written with its type.
        builder.Property(t => t.Fields)
            .HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<FieldDefinition>>(v, Json) ?? new List<FieldDefinition>(),
                new ValueComparer<List<FieldDefinition>>(
                    (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                    v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                    v => v.Select(f => f.Clone()).ToList()))
            .IsRequired();
        ContentMemberAccessMapping.MapRestriction(builder.Property(t => t.RestrictedToGroups));
    }
}

internal sealed class ContentItemConfiguration : IEntityTypeConfiguration<ContentItem>
{
    public void Configure(EntityTypeBuilder<ContentItem> builder)
    {
        builder.ToTable("ContentItems");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.HasOne<ContentType>().WithMany().HasForeignKey(i => i.TypeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.TypeApiId).HasMaxLength(ContentType.ApiIdMaxLength).IsRequired();
        builder.Property(i => i.Slug).HasMaxLength(ContentItem.SlugMaxLength).IsRequired();
        builder.Property(i => i.Title).HasMaxLength(ContentItem.TitleMaxLength).IsRequired();
        builder.Property(i => i.Status).HasConversion<int>();
        builder.Property(i => i.ReviewState).HasConversion<int>();
        builder.Property(i => i.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(i => i.UpdatedBy).HasMaxLength(256).IsRequired();
        builder.Property(i => i.DeletedBy).HasMaxLength(256);
        builder.Property(i => i.ValuesJa).IsRequired();
        builder.Property(i => i.ValuesEn).IsRequired();
        builder.Property(i => i.ConcurrencyToken).IsConcurrencyToken();
        ContentMemberAccessMapping.MapRestriction(builder.Property(i => i.RestrictedToGroups));

        // Slug lookups (console and API) and uniqueness per type, trash included (a restore never collides).
        builder.HasIndex(i => new { i.TypeId, i.Slug }).IsUnique();
        // Console lists (ContentItemService.ListAsync): one type, not deleted, one index per sort so a page is read
        // in index order (no sort of the whole type), each ending in the sort's id tie-break. HasJa/HasEn (and Slug
        // beside Title) are carried so the language filter and the text search count over an index, not the rows.
        // Measured at 100,000 items with `bench/Kuroco.Bench -- listplans` (bench/README.md).
        builder.HasIndex(i => new { i.TypeId, i.DeletedAtUtc, i.UpdatedAtUtc, i.Id, i.HasJa, i.HasEn })
            .HasDatabaseName("IX_ContentItems_List_Updated");
        // Status filter newest first, and the status sort (status ascending, newest first within a status).
        builder.HasIndex(i => new { i.TypeId, i.DeletedAtUtc, i.Status, i.UpdatedAtUtc, i.Id, i.HasJa, i.HasEn })
            .IsDescending(false, false, false, true, true, false, false)
            .HasDatabaseName("IX_ContentItems_List_Status");
        builder.HasIndex(i => new { i.TypeId, i.DeletedAtUtc, i.Title, i.Id, i.Slug })
            .HasDatabaseName("IX_ContentItems_List_Title");
        builder.HasIndex(i => new { i.TypeId, i.DeletedAtUtc, i.Slug })
            .HasDatabaseName("IX_ContentItems_List_Slug");
        builder.HasIndex(i => new { i.TypeId, i.DeletedAtUtc, i.PublishedAtUtc, i.Id })
            .HasDatabaseName("IX_ContentItems_List_Published");
        // Delivery: published items of a type by publication date; slug by type API id.
        builder.HasIndex(i => new { i.TypeApiId, i.Status, i.PublishedAtUtc });
        // Unique (a type's API id names one type, and slugs are unique per type): SQLite, which has no
        // statistics here, then always picks it for a slug lookup instead of walking the publication index.
        builder.HasIndex(i => new { i.TypeApiId, i.Slug }).IsUnique();
        // Jobs: due schedules and trash expiry.
        builder.HasIndex(i => i.PublishAtUtc);
        builder.HasIndex(i => i.UnpublishAtUtc);
        builder.HasIndex(i => i.DeletedAtUtc);
    }
}

internal sealed class ContentVersionConfiguration : IEntityTypeConfiguration<ContentVersion>
{
    public void Configure(EntityTypeBuilder<ContentVersion> builder)
    {
        builder.ToTable("ContentVersions");
        builder.HasKey(v => v.Id);
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(v => v.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.ItemId, v.Number }).IsUnique();
        builder.Property(v => v.Slug).HasMaxLength(ContentItem.SlugMaxLength).IsRequired();
        builder.Property(v => v.Status).HasConversion<int>();
        builder.Property(v => v.SavedBy).HasMaxLength(256).IsRequired();
        builder.Property(v => v.Note).HasMaxLength(100).IsRequired();
        builder.Property(v => v.ValuesJa).IsRequired();
        builder.Property(v => v.ValuesEn).IsRequired();
    }
}

internal sealed class ContentReviewConfiguration : IEntityTypeConfiguration<ContentReview>
{
    public void Configure(EntityTypeBuilder<ContentReview> builder)
    {
        builder.ToTable("ContentReviews");
        builder.HasKey(r => r.Id);
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(r => r.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.ItemId, r.AtUtc });
        builder.Property(r => r.Action).HasConversion<int>();
        builder.Property(r => r.Comment).HasMaxLength(ContentReview.CommentMaxLength);
        builder.Property(r => r.By).HasMaxLength(256).IsRequired();
    }
}
