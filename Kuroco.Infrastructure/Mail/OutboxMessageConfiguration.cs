using Kuroco.Core.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Mail;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.ToAddress).HasMaxLength(MailMessage.AddressMaxLength).IsRequired();
        builder.Property(m => m.ToName).HasMaxLength(MailMessage.NameMaxLength);
        builder.Property(m => m.Subject).HasMaxLength(MailMessage.SubjectMaxLength).IsRequired();
        builder.Property(m => m.Body).IsRequired();
        builder.Property(m => m.Status).HasConversion<int>();
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.ErrorMaxLength);
        builder.Property(m => m.Transport).HasMaxLength(OutboxMessage.TransportMaxLength);
        builder.Property(m => m.ProviderMessageId).HasMaxLength(MailDelivery.ProviderMessageIdMaxLength);
        builder.HasIndex(m => m.CreatedAtUtc);
        builder.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.OutboxMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxAttachmentConfiguration : IEntityTypeConfiguration<OutboxAttachment>
{
    public void Configure(EntityTypeBuilder<OutboxAttachment> builder)
    {
        builder.ToTable("OutboxAttachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.FileName).HasMaxLength(MailAttachment.FileNameMaxLength).IsRequired();
        builder.Property(a => a.ContentType).HasMaxLength(MailAttachment.ContentTypeMaxLength).IsRequired();
        builder.Property(a => a.Content).IsRequired();
        builder.HasIndex(a => a.OutboxMessageId);
    }
}
