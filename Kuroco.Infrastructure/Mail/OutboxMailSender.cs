using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Jobs;
using Kuroco.Core.Mail;
using Kuroco.Infrastructure.Data;

namespace Kuroco.Infrastructure.Mail;

/// <summary>
/// Validates a message, keeps it in the outbox and queues its delivery job. The message is saved
/// before the job is queued, so a crash in between leaves a queued row, never a lost mail.
/// </summary>
internal sealed class OutboxMailSender(
    KurocoDbContext db,
    IValidator<MailMessage> validator,
    IJobScheduler jobs,
    IAuditLog audit,
    TimeProvider clock) : IMailSender
{
    public async Task<Guid> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        await validator.ValidateAndThrowAsync(message, cancellationToken);
        var row = new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            ToAddress = message.ToAddress,
            ToName = message.ToName,
            Subject = message.Subject,
            Body = message.Body,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            Status = OutboxStatus.Queued,
            Attachments = [.. message.Attachments.Select((a, i) => new OutboxAttachment
            {
                Id = Guid.CreateVersion7(),
                Position = i,
                FileName = a.FileName,
                ContentType = a.ContentType,
                Content = a.Content,
            })],
        };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(row).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
        foreach (var attachment in row.Attachments)
        {
            db.Entry(attachment).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
        }
        jobs.Enqueue<MailDispatchJob>(j => j.ExecuteAsync(row.Id, CancellationToken.None));
        await audit.WriteAsync(new AuditRecord(
            AuditActions.MailQueued, "Mail", row.Id.ToString(), AuditParameters.Of(("to", message.ToAddress), ("subject", message.Subject))),
            cancellationToken);
        return row.Id;
    }
}
