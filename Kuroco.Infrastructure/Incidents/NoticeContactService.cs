using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Incidents;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Incidents;

/// <summary>The notice recipient list (Operators and Administrators) and unsubscribing by a mail's single-use token.</summary>
internal sealed class NoticeContactService(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<NoticeContactRequest> validator,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : INoticeContactService
{
    public async Task<IReadOnlyList<NoticeContact>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<NoticeContact>().AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Email).ToListAsync(cancellationToken);
    }

    public async Task<Result<Guid>> CreateAsync(NoticeContactRequest request, CancellationToken cancellationToken = default)
    {
        if (await CheckAsync(request, cancellationToken) is { } refused)
        {
            return refused.As<Guid>();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var email = request.Email.Trim();
        if (await db.Set<NoticeContact>().AnyAsync(c => c.Email == email, cancellationToken))
        {
            return Result.Conflict(IncidentMessages.Get("Contact.Duplicate")).As<Guid>();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var contact = new NoticeContact { Id = Guid.CreateVersion7(), CreatedAtUtc = now };
        Apply(contact, request, now);
        db.Add(contact);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.NoticeContactCreated, AuditEntityTypes.NoticeContact, contact.Id.ToString(),
            AuditParameters.Of(("email", contact.Email), ("language", contact.Language), ("components", contact.Components))), cancellationToken);
        return Result.Ok(contact.Id);
    }

    public async Task<Result> UpdateAsync(Guid id, NoticeContactRequest request, CancellationToken cancellationToken = default)
    {
        if (await CheckAsync(request, cancellationToken) is { } refused)
        {
            return refused;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var contact = await db.Set<NoticeContact>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return Result.NotFound(IncidentMessages.Get("Contact.NotFound"));
        }
        var email = request.Email.Trim();
        if (await db.Set<NoticeContact>().AnyAsync(c => c.Email == email && c.Id != id, cancellationToken))
        {
            return Result.Conflict(IncidentMessages.Get("Contact.Duplicate"));
        }
        var before = Snapshot(contact);
        Apply(contact, request, clock.GetUtcNow().UtcDateTime);
        // Re-adding an unsubscribed contact is an explicit decision of the operator: the edit subscribes again.
        contact.Subscribed = true;
        await db.SaveChangesAsync(cancellationToken);
        var after = Snapshot(contact);
        var changes = before.Zip(after, (b, a) => new FieldChange(b.Field, b.Value, a.Value)).Where(c => c.Before != c.After).ToList();
        await audit.WriteAsync(new AuditRecord(AuditActions.NoticeContactUpdated, AuditEntityTypes.NoticeContact, contact.Id.ToString(),
            AuditParameters.Of(("email", contact.Email), ("fields", string.Join(',', changes.Select(c => c.Field)))),
            AuditOutcome.Success, changes), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (await ForbiddenAsync() is { } forbidden)
        {
            return forbidden;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var contact = await db.Set<NoticeContact>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return Result.NotFound(IncidentMessages.Get("Contact.NotFound"));
        }
        db.Remove(contact);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.NoticeContactDeleted, AuditEntityTypes.NoticeContact, contact.Id.ToString(),
            AuditParameters.Of(("email", contact.Email))), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> UnsubscribeAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return Result.NotFound(IncidentMessages.Get("Contact.TokenInvalid"));
        }
        var hash = IncidentNoticeSender.Hash(token.Trim());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<NoticeUnsubscribeToken>().FirstOrDefaultAsync(t => t.TokenHash == hash && t.UsedAtUtc == null, cancellationToken);
        var contact = row is null ? null : await db.Set<NoticeContact>().FirstOrDefaultAsync(c => c.Id == row.ContactId, cancellationToken);
        if (row is null || contact is null)
        {
            return Result.NotFound(IncidentMessages.Get("Contact.TokenInvalid"));
        }
        row.UsedAtUtc = clock.GetUtcNow().UtcDateTime;
        contact.Subscribed = false;
        contact.UpdatedAtUtc = row.UsedAtUtc.Value;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.NoticeContactUnsubscribed, AuditEntityTypes.NoticeContact, contact.Id.ToString(),
            AuditParameters.Of(("email", contact.Email))) { Actor = AuditActor.Anonymous }, cancellationToken);
        return Result.Success;
    }

    private async Task<Result?> ForbiddenAsync()
    {
        var actor = await auditContext.GetActorAsync();
        return IncidentRoles.CanManage(actor.Roles) ? null : Result.Forbidden(IncidentMessages.Get("Incident.Forbidden"));
    }

    private async Task<Result?> CheckAsync(NoticeContactRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ForbiddenAsync() is { } forbidden)
        {
            return forbidden;
        }
        var validation = await validator.ValidateAsync(request, cancellationToken);
        return validation.IsValid ? null : Result.Invalid(validation);
    }

    private static void Apply(NoticeContact contact, NoticeContactRequest request, DateTime now)
    {
        contact.Name = request.Name.Trim();
        contact.Email = request.Email.Trim();
        contact.Language = request.Language;
        contact.TimeZoneId = request.TimeZoneId;
        contact.Components = string.Join(',', request.Components.Distinct(StringComparer.Ordinal));
        contact.UpdatedAtUtc = now;
    }

    private static (string Field, string? Value)[] Snapshot(NoticeContact c) =>
        [("Name", c.Name), ("Email", c.Email), ("Language", c.Language), ("TimeZoneId", c.TimeZoneId), ("Components", c.Components), ("Subscribed", c.Subscribed ? "true" : "false")];
}
