using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Registration and address verification over the member API (see <see cref="IMemberRegistration"/>). What the caller
/// learns depends on the settings and the input only, never on whether the address is a member's: after the input is
/// valid, every path hashes the password once and answers success; the difference is what is mailed —
/// <list type="bullet">
/// <item>a new address: the member is created (pending with a verification link, or active at once when verification is off);</item>
/// <item>a pending member's address: the pending registration is replaced by this one and a new link sent (nobody proved the address yet);</item>
/// <item>an active member's address: that member is told someone tried to register with it (no link; nothing changes);</item>
/// <item>a suspended member's: nothing is sent.</item>
/// </list>
/// At most one such mail per address per minute (<see cref="MemberMailPacing"/>).
/// </summary>
internal sealed class MemberRegistrationService(
    KurocoDbContext db,
    MemberAccountSettings settings,
    MemberAccountPasswords passwords,
    MemberAccountTokens tokens,
    MemberAccountMailer mailer,
    MemberMailPacing pacing,
    IMemberPersonalData personal,
    IAuditLog audit,
    TimeProvider clock) : IMemberRegistration
{
    private const string RegistrationMail = "registration";

    public async Task<Result> RegisterAsync(MemberRegistrationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registration = await settings.RegistrationAsync(cancellationToken);
        switch (registration.Mode)
        {
            case MemberRegistrationMode.Closed:
                return Result.Forbidden(MemberAccountMessages.Get("Member.Registration.Closed"));
            case MemberRegistrationMode.InvitationOnly:
                return Result.Forbidden(MemberAccountMessages.Get("Member.Registration.InvitationOnly"));
        }
        var email = request.Email?.Trim();
        var displayName = request.DisplayName?.Trim();
        var nameKana = string.IsNullOrWhiteSpace(request.NameKana) ? null : request.NameKana.Trim();
        var language = string.IsNullOrEmpty(request.Language) ? MemberLanguages.Japanese : request.Language;
        var errors = new List<FieldError>();
        MemberAccountInput.CheckEmail(email, "email", errors);
        if (errors.Count == 0 && !registration.AllowsDomain(email))
        {
            errors.Add(new FieldError("email", MemberAccountMessages.Get("Member.Email.DomainRefused")));
        }
        MemberAccountInput.CheckDisplayName(displayName, "displayName", errors);
        MemberAccountInput.CheckNameKana(nameKana, "nameKana", errors);
        MemberAccountInput.CheckLanguage(language, "language", errors);
        errors.AddRange(await passwords.CheckAsync("password", request.Password, email, displayName, existing: null, cancellationToken));
        var profile = new Dictionary<string, string?>(StringComparer.Ordinal);
        errors.AddRange(MemberAccountProfile.Apply(await settings.ProfileFieldsAsync(cancellationToken), profile, request.Profile));
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        // From here on the answer is the same whether or not the address is a member's, and so is the cost: one hash.
        var details = new Details(email!, displayName!, nameKana, language, ContentValues.Serialize(profile), passwords.Hash(request.Password!));
        var normalized = MemberText.NormalizeEmail(email);
        var existing = await db.Members.FirstOrDefaultAsync(m => m.NormalizedEmail == normalized, cancellationToken);
        if (existing is null)
        {
            if (await CreateAsync(details, registration, cancellationToken))
            {
                return Result.Success;
            }
            // Registered by a parallel request a moment ago.
            existing = await db.Members.FirstOrDefaultAsync(m => m.NormalizedEmail == normalized, cancellationToken);
            if (existing is null)
            {
                return Result.Success;
            }
        }
        await ExistingAsync(existing, details, registration, cancellationToken);
        return Result.Success;
    }

    public async Task<Result> VerifyAsync(string? token, string? password, CancellationToken cancellationToken = default)
    {
        var found = await tokens.FindUsableAsync(token, [MemberTokenPurpose.EmailVerification, MemberTokenPurpose.Invitation], cancellationToken);
        var member = found is null ? null : await db.Members.FirstOrDefaultAsync(m => m.Id == found.MemberId, cancellationToken);
        if (found is null || member is null || member.Status is MemberStatus.Suspended or MemberStatus.Erased)
        {
            return InvalidLink();
        }
        var invitation = found.Purpose == MemberTokenPurpose.Invitation;
        string? hash = null;
        if (invitation)
        {
            var errors = await passwords.CheckAsync("password", password, member.Email, member.DisplayName, member, cancellationToken);
            if (errors.Count > 0)
            {
                return Result.Invalid(errors);
            }
            hash = passwords.Hash(password!);
        }
        else if (!string.IsNullOrEmpty(password))
        {
            return Result.Invalid([new FieldError("password", MemberAccountMessages.Get("Member.Password.OnlyForInvitation"))]);
        }

        var before = member.Status;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await tokens.ConsumeAsync(found, cancellationToken))
            {
                return InvalidLink();
            }
            var now = clock.GetUtcNow().UtcDateTime;
            member.EmailVerifiedAtUtc ??= now;
            if (member.Status == MemberStatus.PendingVerification)
            {
                member.Status = MemberStatus.Active;
            }
            if (hash is not null)
            {
                passwords.Set(member, hash);
            }
            member.UpdatedAtUtc = now;
            member.ConcurrencyToken = Guid.NewGuid();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (hash is not null)
        {
            await passwords.TrimHistoryAsync(member.Id, cancellationToken);
        }
        await audit.WriteAsync(new AuditRecord(
            invitation ? AuditActions.MemberInvitationAccepted : AuditActions.MemberEmailVerified, MemberAudit.EntityType, member.Id.ToString(),
            AuditParameters.Of(),
            AuditOutcome.Success,
            before == member.Status ? null : [new FieldChange(nameof(Member.Status), before.ToString(), member.Status.ToString())])
        {
            Actor = MemberAudit.Actor(member.Id),
        }, cancellationToken);
        return Result.Success;
    }

    private static Result InvalidLink() => Result.Invalid([new FieldError("token", MemberAccountMessages.Get("Member.Link.Invalid"))]);

    private async Task<bool> CreateAsync(Details details, MemberRegistrationSettings registration, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var verify = registration.RequireEmailVerification;
        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = details.Email,
            DisplayName = details.DisplayName,
            NameKana = details.NameKana,
            Language = details.Language,
            ProfileJson = details.ProfileJson,
            Status = verify ? MemberStatus.PendingVerification : MemberStatus.Active,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        member.RefreshDerivedFields();
        db.Members.Add(member);
        passwords.Set(member, details.PasswordHash);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberRegistered, MemberAudit.EntityType, member.Id.ToString(),
            verify ? AuditParameters.Of() : AuditParameters.Of(("variant", "active")),
            AuditOutcome.Success, await CreatedChangesAsync(member, cancellationToken))
        {
            Actor = MemberAudit.Actor(member.Id),
        }, cancellationToken);
        if (verify && pacing.TryTake(member.Id, RegistrationMail))
        {
            await SendVerificationAsync(member, registration, cancellationToken);
        }
        return true;
    }

    private async Task ExistingAsync(Member member, Details details, MemberRegistrationSettings registration, CancellationToken cancellationToken)
    {
        if (member.Status == MemberStatus.PendingVerification && pacing.TryTake(member.Id, RegistrationMail))
        {
            // Nobody has proved this address yet: the newest registration replaces the pending one, and only its link works.
            member.DisplayName = details.DisplayName;
            member.NameKana = details.NameKana;
            member.Language = details.Language;
            member.ProfileJson = details.ProfileJson;
            member.RefreshDerivedFields();
            passwords.Set(member, details.PasswordHash);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                return;
            }
            await passwords.TrimHistoryAsync(member.Id, cancellationToken);
            await audit.WriteAsync(new AuditRecord(AuditActions.MemberRegistered, MemberAudit.EntityType, member.Id.ToString(),
                AuditParameters.Of(("variant", "again")))
            {
                Actor = MemberAudit.Actor(member.Id),
            }, cancellationToken);
            await SendVerificationAsync(member, registration, cancellationToken);
            return;
        }
        var told = member.Status == MemberStatus.Active && pacing.TryTake(member.Id, RegistrationMail);
        if (told)
        {
            await mailer.SendAsync(MemberAccountMails.AlreadyRegistered(member, mailer.Site), cancellationToken);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberRegistrationDuplicate, MemberAudit.EntityType, member.Id.ToString(),
            told
                ? AuditParameters.Of(("state", member.Status.ToString()), ("variant", "told"))
                : AuditParameters.Of(("state", member.Status.ToString())),
            AuditOutcome.Denied)
        {
            Actor = AuditActor.Anonymous,
        }, cancellationToken);
    }

    private async Task SendVerificationAsync(Member member, MemberRegistrationSettings registration, CancellationToken cancellationToken)
    {
        var lifetime = TimeSpan.FromHours(registration.VerificationLinkHours);
        var secret = await tokens.IssueAsync(member.Id, MemberTokenPurpose.EmailVerification, lifetime, cancellationToken);
        await mailer.SendAsync(MemberAccountMails.Verification(member, mailer.Site, secret, registration.VerificationLinkHours), cancellationToken);
    }

    /// <summary>The new member's details for the audit entry, each encrypted with the member's own key (unreadable after erasure).</summary>
    private async Task<IReadOnlyList<FieldChange>> CreatedChangesAsync(Member member, CancellationToken cancellationToken) =>
    [
        new(nameof(Member.Email), null, await personal.ProtectAsync(member.Id, member.Email, cancellationToken)),
        new(nameof(Member.DisplayName), null, await personal.ProtectAsync(member.Id, member.DisplayName, cancellationToken)),
        new(nameof(Member.Language), null, member.Language),
        new(nameof(Member.Status), null, member.Status.ToString()),
    ];

    private sealed record Details(string Email, string DisplayName, string? NameKana, string Language, string ProfileJson, string PasswordHash);
}
