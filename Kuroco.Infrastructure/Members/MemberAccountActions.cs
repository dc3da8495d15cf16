using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// The account mails staff start from the console (and an import may start): see <see cref="IMemberAccountActions"/>.
/// Staff may learn what the API never tells a caller (the member exists, is active…), so refusals say why. Each mail
/// is audited with the acting staff member; the new member of an invitation with its details encrypted with its own key.
/// </summary>
internal sealed class MemberAccountActions(
    KurocoDbContext db,
    MemberAccountSettings settings,
    MemberAccountTokens tokens,
    MemberAccountMailer mailer,
    IMemberPersonalData personal,
    IAuditLog audit,
    TimeProvider clock) : IMemberAccountActions
{
    public async Task<Result> SendPasswordResetAsync(Guid memberId, CancellationToken cancellationToken = default)
    {
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return Result.NotFound(MemberAccountMessages.Get("Member.NotFound"));
        }
        if (member.Status != MemberStatus.Active)
        {
            return Result.Conflict(MemberAccountMessages.Get("Member.Reset.NotActive"));
        }
        var secret = await tokens.IssueAsync(member.Id, MemberTokenPurpose.PasswordReset, MemberAccountRules.PasswordResetLifetime, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberPasswordResetSent, MemberAudit.EntityType, member.Id.ToString(),
            AuditParameters.Of(("hours", Number(MemberAccountRules.PasswordResetLifetime.TotalHours)))), cancellationToken);
        await mailer.SendAsync(MemberAccountMails.PasswordReset(member, mailer.Site, secret), cancellationToken);
        return Result.Success;
    }

    /// <summary>
    /// A member who registered gets a new verification link; a member who was invited (no password yet) a new invitation
    /// link instead, since only that link lets them choose a password.
    /// </summary>
    public async Task<Result> ResendVerificationAsync(Guid memberId, CancellationToken cancellationToken = default)
    {
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return Result.NotFound(MemberAccountMessages.Get("Member.NotFound"));
        }
        if (member.Status != MemberStatus.PendingVerification)
        {
            return Result.Conflict(MemberAccountMessages.Get("Member.Resend.NotPending"));
        }
        var registration = await settings.RegistrationAsync(cancellationToken);
        var invited = member.PasswordHash is null;
        var hours = invited ? registration.InvitationLinkHours : registration.VerificationLinkHours;
        var secret = await tokens.IssueAsync(member.Id, invited ? MemberTokenPurpose.Invitation : MemberTokenPurpose.EmailVerification,
            TimeSpan.FromHours(hours), cancellationToken);
        await audit.WriteAsync(new AuditRecord(invited ? AuditActions.MemberInvited : AuditActions.MemberVerificationSent, MemberAudit.EntityType,
            member.Id.ToString(),
            invited
                ? AuditParameters.Of(("hours", Number(hours)), ("variant", "resent"))
                : AuditParameters.Of(("hours", Number(hours)))),
            cancellationToken);
        await mailer.SendAsync(invited
            ? MemberAccountMails.Invitation(member, mailer.Site, secret, hours)
            : MemberAccountMails.Verification(member, mailer.Site, secret, hours), cancellationToken);
        return Result.Success;
    }

    public async Task<Result<Member>> InviteAsync(MemberInvitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var registration = await settings.RegistrationAsync(cancellationToken);
        if (registration.Mode == MemberRegistrationMode.Closed)
        {
            return Result<Member>.Forbidden(MemberAccountMessages.Get("Member.Invite.Closed"));
        }
        var email = invitation.Email?.Trim();
        var displayName = invitation.DisplayName?.Trim() ?? "";
        var errors = new List<FieldError>();
        MemberAccountInput.CheckEmail(email, nameof(MemberInvitation.Email), errors);
        if (errors.Count == 0 && !registration.AllowsDomain(email))
        {
            errors.Add(new FieldError(nameof(MemberInvitation.Email), MemberAccountMessages.Get("Member.Email.DomainRefused")));
        }
        MemberAccountInput.CheckDisplayName(displayName, nameof(MemberInvitation.DisplayName), errors, required: false);
        MemberAccountInput.CheckLanguage(invitation.Language, nameof(MemberInvitation.Language), errors);
        var groupIds = (invitation.GroupIds ?? []).Distinct().ToList();
        if (groupIds.Count > 0 && await db.MemberGroups.CountAsync(g => groupIds.Contains(g.Id), cancellationToken) != groupIds.Count)
        {
            errors.Add(new FieldError(nameof(MemberInvitation.GroupIds), MemberAccountMessages.Get("Member.Invite.UnknownGroup")));
        }
        if (errors.Count > 0)
        {
            return Result<Member>.Invalid(errors);
        }
        var normalized = MemberText.NormalizeEmail(email);
        if (await db.Members.AnyAsync(m => m.NormalizedEmail == normalized, cancellationToken))
        {
            return Result<Member>.Conflict(MemberAccountMessages.Get("Member.Invite.Exists"));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = email!,
            DisplayName = displayName,
            Language = invitation.Language,
            Status = MemberStatus.PendingVerification,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            Groups = [.. groupIds.Select(g => new MemberGroupMembership { GroupId = g, AddedAtUtc = now })],
        };
        member.RefreshDerivedFields();
        db.Members.Add(member);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Result<Member>.Conflict(MemberAccountMessages.Get("Member.Invite.Exists"));
        }
        var secret = await tokens.IssueAsync(member.Id, MemberTokenPurpose.Invitation, TimeSpan.FromHours(registration.InvitationLinkHours), cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberInvited, MemberAudit.EntityType, member.Id.ToString(),
            AuditParameters.Of(("groups", Number(groupIds.Count)), ("hours", Number(registration.InvitationLinkHours))),
            AuditOutcome.Success,
            [
                new FieldChange(nameof(Member.Email), null, await personal.ProtectAsync(member.Id, member.Email, cancellationToken)),
                new FieldChange(nameof(Member.DisplayName), null, await personal.ProtectAsync(member.Id, member.DisplayName, cancellationToken)),
                new FieldChange(nameof(Member.Language), null, member.Language),
                new FieldChange("Groups", null, string.Join(", ", groupIds)),
            ]), cancellationToken);
        await mailer.SendAsync(MemberAccountMails.Invitation(member, mailer.Site, secret, registration.InvitationLinkHours), cancellationToken);
        return Result.Ok(member);
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
