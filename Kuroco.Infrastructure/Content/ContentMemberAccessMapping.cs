using Kuroco.Core.Content;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// How a restriction to member groups is stored on a content type and an item: one text column of ordered GUIDs
/// (<see cref="ContentMemberAccess.Store"/>), "" for public. Never queried in SQL: the delivery index carries it
/// (<see cref="ContentFieldValue.Restricted"/> and the <see cref="ContentIndexKeys.Group"/> rows).
/// </summary>
internal static class ContentMemberAccessMapping
{
    public static void MapRestriction(PropertyBuilder<List<Guid>> property)
    {
        property
            .HasConversion(
                v => ContentMemberAccess.Store(v),
                v => ContentMemberAccess.Read(v),
                new ValueComparer<List<Guid>>(
                    (a, b) => ContentMemberAccess.SameGroups(a, b),
                    v => ContentMemberAccess.Store(v).GetHashCode(StringComparison.Ordinal),
                    v => v.ToList()))
            .HasMaxLength(ContentMemberAccess.StoredMaxLength)
            .IsRequired();
    }
}
