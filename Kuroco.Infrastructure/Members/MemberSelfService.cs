using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// A signed-in member's own account (see <see cref="IMemberSelfService"/>). Changes are audited as the member, with
/// every personal value in the before/after encrypted with the member's key (<see cref="IMemberPersonalData"/>).
/// The email address is not changed here: a new address would have to be proved before use and the old one told, which
/// the website's support does in the console.
/// </summary>
internal sealed class MemberSelfService(
    KurocoDbContext db,
    MemberAccountSettings settings,
    MemberAccountPasswords passwords,
    MemberAccountMailer mailer,
    IMemberSessions sessions,
    IMemberPersonalData personal,
    IAuditLog audit,
    TimeProvider clock) : IMemberSelfService
{
    public async Task<Result<MemberProfileView>> GetAsync(Guid memberId, CancellationToken cancellationToken = default)
    {
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        return member is null
            ? Result<MemberProfileView>.NotFound(MemberAccountMessages.Get("Member.NotFound"))
            : Result.Ok(await ViewAsync(member, cancellationToken));
    }

    public async Task<Result<MemberProfileView>> UpdateAsync(Guid memberId, MemberProfileChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return Result<MemberProfileView>.NotFound(MemberAccountMessages.Get("Member.NotFound"));
        }
        var errors = new List<FieldError>();
        if (change.EmailGiven)
        {
            errors.Add(new FieldError("email", MemberAccountMessages.Get("Member.Email.ChangeNotSupported")));
        }
        var displayName = change.DisplayName?.Trim();
        if (displayName is not null)
        {
            MemberAccountInput.CheckDisplayName(displayName, "displayName", errors);
        }
        var nameKana = change.NameKana?.Trim();
        MemberAccountInput.CheckNameKana(nameKana, "nameKana", errors);
        if (change.Language is not null)
        {
            MemberAccountInput.CheckLanguage(change.Language, "language", errors);
        }
        var profile = ContentValues.Parse(member.ProfileJson);
        var fields = await settings.ProfileFieldsAsync(cancellationToken);
        if (change.Profile is not null)
        {
            errors.AddRange(MemberAccountProfile.Apply(fields, profile, change.Profile));
        }
        if (errors.Count > 0)
        {
            return Result.Invalid(errors).As<MemberProfileView>();
        }

        var before = Snapshot(member);
        member.DisplayName = displayName ?? member.DisplayName;
        member.NameKana = nameKana is null ? member.NameKana : nameKana.Length == 0 ? null : nameKana;
        member.Language = change.Language ?? member.Language;
        if (change.Profile is not null)
        {
            member.ProfileJson = ContentValues.Serialize(profile);
        }
        var after = Snapshot(member);
        var changed = before.Zip(after).Where(p => !string.Equals(p.First.Value, p.Second.Value, StringComparison.Ordinal)).ToList();
        if (changed.Count == 0)
        {
            return Result.Ok(await ViewAsync(member, cancellationToken));
        }
        member.RefreshDerivedFields();
        member.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        member.ConcurrencyToken = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<MemberProfileView>.Conflict(MemberAccountMessages.Get("Member.Changed"));
        }
        var changes = new List<FieldChange>();
        foreach (var (first, second) in changed)
        {
            changes.Add(first.Name == nameof(Member.Language)
                ? new FieldChange(first.Name, first.Value, second.Value)
                : new FieldChange(first.Name, await personal.ProtectAsync(member.Id, first.Value, cancellationToken),
                    await personal.ProtectAsync(member.Id, second.Value, cancellationToken)));
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberProfileUpdated, MemberAudit.EntityType, member.Id.ToString(),
            AuditParameters.Of(("fields", string.Join(",", changed.Select(c => c.First.Name))), ("variant", "self")),
            AuditOutcome.Success, changes)
        {
            Actor = MemberAudit.Actor(member.Id),
        }, cancellationToken);
        return Result.Ok(await ViewAsync(member, cancellationToken));
    }

    public async Task<Result<MemberTokenPair>> ChangePasswordAsync(Guid memberId, string? currentPassword, string? newPassword, bool rememberMe,
        CancellationToken cancellationToken = default)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId && m.Status == MemberStatus.Active, cancellationToken);
        if (member is null)
        {
            return Result<MemberTokenPair>.NotFound(MemberAccountMessages.Get("Member.NotFound"));
        }
        if (!passwords.Verify(member, currentPassword))
        {
            return Result.Invalid([new FieldError("currentPassword", MemberAccountMessages.Get("Member.Password.CurrentWrong"))]).As<MemberTokenPair>();
        }
        var errors = await passwords.CheckAsync("newPassword", newPassword, member.Email, member.DisplayName, member, cancellationToken);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors).As<MemberTokenPair>();
        }
        passwords.Set(member, passwords.Hash(newPassword!));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<MemberTokenPair>.Conflict(MemberAccountMessages.Get("Member.Changed"));
        }
        await passwords.TrimHistoryAsync(member.Id, cancellationToken);
        var revoked = await sessions.RevokeAllAsync(member.Id, cancellationToken);
        var now = clock.GetUtcNow();
        await audit.WriteAsync(new AuditRecord(AuditActions.PasswordChanged, MemberAudit.EntityType, member.Id.ToString(),
            AuditParameters.Of(("revoked", revoked.ToString(CultureInfo.InvariantCulture)), ("variant", "member")))
        {
            Actor = MemberAudit.Actor(member.Id),
        }, cancellationToken);
        await mailer.SendAsync(MemberAccountMails.PasswordChanged(member, mailer.Site, now), cancellationToken);
        return Result.Ok(await sessions.IssueAsync(member, rememberMe, cancellationToken));
    }

    private async Task<MemberProfileView> ViewAsync(Member member, CancellationToken cancellationToken)
    {
        var groups = await (from membership in db.MemberGroupMemberships.AsNoTracking()
                            join g in db.MemberGroups.AsNoTracking() on membership.GroupId equals g.Id
                            where membership.MemberId == member.Id
                            select g).ToListAsync(cancellationToken);
        var fields = await settings.ProfileFieldsAsync(cancellationToken);
        return new MemberProfileView(member, [.. groups.OrderBy(g => g.NameFor(member.Language), StringComparer.Ordinal)], fields);
    }

    private static (string Name, string? Value)[] Snapshot(Member member) =>
    [
        (nameof(Member.DisplayName), member.DisplayName),
        (nameof(Member.NameKana), member.NameKana),
        (nameof(Member.Language), member.Language),
        ("Profile", member.ProfileJson),
    ];
}
