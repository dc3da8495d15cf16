using Kuroco.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Webhooks;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("WebhookSubscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(WebhookSubscription.NameMaxLength).IsRequired();
        builder.Property(s => s.TargetUrl).HasMaxLength(WebhookSubscription.UrlMaxLength).IsRequired();
        builder.Property(s => s.ContentType).HasMaxLength(WebhookSubscription.ContentTypeMaxLength).IsRequired();
        builder.Property(s => s.Events).HasMaxLength(WebhookSubscription.EventsMaxLength).IsRequired();
        builder.Property(s => s.ProtectedSecret).HasMaxLength(1000).IsRequired();
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
        builder.Ignore(s => s.EventList);
        builder.HasIndex(s => new { s.Enabled, s.ContentType });
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.EventType).HasMaxLength(WebhookDelivery.EventTypeMaxLength).IsRequired();
        builder.Property(d => d.ContentType).HasMaxLength(WebhookSubscription.ContentTypeMaxLength).IsRequired();
        builder.Property(d => d.Payload).IsRequired();
        builder.Property(d => d.Status).HasConversion<int>();
        builder.Property(d => d.LastError).HasMaxLength(WebhookDelivery.ErrorMaxLength);
        builder.Property(d => d.LastResponseExcerpt).HasMaxLength(WebhookDelivery.ResponseExcerptMaxLength);
        // Deleting a subscription deletes its log.
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.SubscriptionId, d.CreatedAtUtc });
        builder.HasIndex(d => new { d.Status, d.CreatedAtUtc });
        builder.HasIndex(d => d.CreatedAtUtc);
    }
}

internal sealed class WebhookAllowedHostConfiguration : IEntityTypeConfiguration<WebhookAllowedHost>
{
    public void Configure(EntityTypeBuilder<WebhookAllowedHost> builder)
    {
        builder.ToTable("WebhookAllowedHosts");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Host).HasMaxLength(WebhookAllowedHost.HostMaxLength).IsRequired();
        builder.Property(h => h.Comment).HasMaxLength(WebhookAllowedHost.CommentMaxLength);
        builder.Property(h => h.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(h => h.Host).IsUnique();
    }
}
