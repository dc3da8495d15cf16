using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Staff's changes to one member (see <see cref="IMemberAdministration"/>). Each loads the member, checks the caller's
/// concurrency token, changes it, saves with a new token (a concurrent save is refused by the database's token check), then
/// audits before and after.
/// </summary>
internal sealed class MemberAdministration(
    IDbContextFactory<KurocoDbContext> contexts,
    IMemberProfileSchemaStore schemas,
    IValidator<MemberProfileEdit> validator,
    MemberAuditWriter audit,
    IMemberPersonalData personal,
    IAuditContext auditContext,
    TimeProvider clock) : IMemberAdministration
{
    public async Task<Result<MemberDetail>> UpdateProfileAsync(MemberProfileEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var schema = await schemas.GetAsync(cancellationToken);
        edit.Fields = [.. schema.ActiveFields];
        edit.Email = (edit.Email ?? "").Trim();
        edit.DisplayName = (edit.DisplayName ?? "").Trim();
        edit.NameKana = string.IsNullOrWhiteSpace(edit.NameKana) ? null : edit.NameKana.Trim();
        var validation = await validator.ValidateAsync(edit, cancellationToken);
        if (!validation.IsValid)
        {
            return Result<MemberDetail>.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await LoadAsync(db, edit.MemberId, edit.ConcurrencyToken, cancellationToken);
        if (!loaded.TryGetValue(out var member))
        {
            return loaded.As<MemberDetail>();
        }
        var normalized = MemberText.NormalizeEmail(edit.Email);
        if (normalized != member.NormalizedEmail && await db.Members.AnyAsync(m => m.NormalizedEmail == normalized && m.Id != member.Id, cancellationToken))
        {
            return EmailTaken();
        }
        var before = ProfileSnapshot(member);
        member.Email = edit.Email;
        member.DisplayName = edit.DisplayName;
        member.NameKana = edit.NameKana;
        member.Language = edit.Language;
        // Values of archived or unknown keys are kept; the active fields take the edited values (empty removes).
        var values = ContentValues.Parse(member.ProfileJson);
        foreach (var field in schema.ActiveFields)
        {
            edit.Profile.TryGetValue(field.Key, out var value);
            values[field.Key] = string.IsNullOrEmpty(value) ? null : value;
        }
        member.ProfileJson = ContentValues.Serialize(values);
        member.RefreshDerivedFields();
        var after = ProfileSnapshot(member);
        if (AuditChanges.Diff(before, after).Count == 0)
        {
            return Result.Ok(MemberDirectory.ToDetail(member));
        }
        var saved = await SaveAsync(db, member, cancellationToken);
        if (!saved.Succeeded)
        {
            return saved.Error == ErrorKind.Conflict ? EmailTaken() : saved.As<MemberDetail>();
        }
        await audit.WriteChangesAsync(AuditActions.MemberProfileUpdated, member.Id,
            AuditParameters.Of(("fields", string.Join(",", AuditChanges.Diff(before, after).Select(c => c.Field)))), before, after, cancellationToken);
        return Result.Ok(MemberDirectory.ToDetail(member));
    }

    public async Task<Result<MemberDetail>> SetGroupsAsync(Guid memberId, IReadOnlyCollection<Guid> groupIds, Guid concurrencyToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await LoadAsync(db, memberId, concurrencyToken, cancellationToken);
        if (!loaded.TryGetValue(out var member))
        {
            return loaded.As<MemberDetail>();
        }
        var wanted = groupIds.Distinct().ToList();
        var known = await db.MemberGroups.Where(g => wanted.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken);
        if (known.Count != wanted.Count)
        {
            return Result<MemberDetail>.NotFound(MemberConsoleMessages.Get("Members.GroupNotFound"));
        }
        var current = member.Groups.Select(g => g.GroupId).ToHashSet();
        if (current.SetEquals(wanted))
        {
            return Result.Ok(MemberDirectory.ToDetail(member));
        }
        var before = new Dictionary<string, string?> { ["Groups"] = GroupList(current) };
        var now = clock.GetUtcNow().UtcDateTime;
        member.Groups.RemoveAll(g => !wanted.Contains(g.GroupId));
        member.Groups.AddRange(wanted.Where(id => !current.Contains(id)).Select(id => new MemberGroupMembership { MemberId = member.Id, GroupId = id, AddedAtUtc = now }));
        var saved = await SaveAsync(db, member, cancellationToken);
        if (!saved.Succeeded)
        {
            return saved.As<MemberDetail>();
        }
        await audit.WriteChangesAsync(AuditActions.MemberGroupsChanged, member.Id,
            AuditParameters.Of(("groups", wanted.Count.ToString(CultureInfo.InvariantCulture))),
            before, new Dictionary<string, string?> { ["Groups"] = GroupList(wanted) }, cancellationToken);
        return Result.Ok(MemberDirectory.ToDetail(member));
    }

    public Task<Result<MemberDetail>> SuspendAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(memberId, concurrencyToken, AuditActions.MemberSuspended, AuditParameters.Of(), (db, member, now) =>
        {
            if (member.Status is not (MemberStatus.Active or MemberStatus.PendingVerification))
            {
                return Task.FromResult<Result?>(Result.Conflict(MemberConsoleMessages.Get("Members.CannotSuspend")));
            }
            member.Status = MemberStatus.Suspended;
            member.SecurityStamp = NewStamp();
            return RevokeSessionsAsync(db, member.Id, now, cancellationToken);
        }, cancellationToken);

    public Task<Result<MemberDetail>> ReactivateAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(memberId, concurrencyToken, AuditActions.MemberReactivated, AuditParameters.Of(), (_, member, _) =>
        {
            if (member.Status != MemberStatus.Suspended)
            {
                return Task.FromResult<Result?>(Result.Conflict(MemberConsoleMessages.Get("Members.NotSuspended")));
            }
            member.Status = member.EmailVerifiedAtUtc is null ? MemberStatus.PendingVerification : MemberStatus.Active;
            return Task.FromResult<Result?>(null);
        }, cancellationToken);

    public Task<Result<MemberDetail>> UnlockAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(memberId, concurrencyToken, AuditActions.MemberUnlocked, AuditParameters.Of(), (_, member, _) =>
        {
            member.LockoutEndUtc = null;
            member.AccessFailedCount = 0;
            return Task.FromResult<Result?>(null);
        }, cancellationToken);

    public Task<Result<MemberDetail>> SignOutEverywhereAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(memberId, concurrencyToken, AuditActions.MemberSignedOutEverywhere, AuditParameters.Of(),
            async (db, member, now) =>
            {
                member.SecurityStamp = NewStamp();
                return await RevokeSessionsAsync(db, member.Id, now, cancellationToken);
            }, cancellationToken);

    public async Task<Result> DeleteAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default)
    {
        if (await MemberConsoleAccess.RequireAdministratorAsync(auditContext) is { } refused)
        {
            return refused;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return Result.NotFound(MemberConsoleMessages.Get("Members.NotFound"));
        }
        if (concurrencyToken is { } token && token != member.ConcurrencyToken)
        {
            return Result.PreconditionFailed(MemberConsoleMessages.Get("Members.Stale"));
        }
        // Memberships, tokens, refresh tokens, sign-ins and consents go with the row (cascades); the search index by trigger.
        var deleted = await db.Members.Where(m => m.Id == memberId && m.ConcurrencyToken == member.ConcurrencyToken).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return Result.PreconditionFailed(MemberConsoleMessages.Get("Members.Stale"));
        }
        await personal.ShredAsync(memberId, cancellationToken);
        await audit.WriteOtherAsync(new AuditRecord(AuditActions.MemberDeleted, MemberAuditWriter.EntityType, MemberAuditWriter.EntityId(memberId),
            AuditParameters.Of(), changes: [new FieldChange("Status", member.Status.ToString(), null)]), cancellationToken);
        return Result.Success;
    }

    /// <summary>Loads a member (tracked, with groups) for a change; NotFound, Conflict for an erased one, PreconditionFailed for a stale token.</summary>
    private static async Task<Result<Member>> LoadAsync(KurocoDbContext db, Guid memberId, Guid? concurrencyToken, CancellationToken cancellationToken)
    {
        var member = await db.Members.Include(m => m.Groups).FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return Result<Member>.NotFound(MemberConsoleMessages.Get("Members.NotFound"));
        }
        if (concurrencyToken is { } token && token != member.ConcurrencyToken)
        {
            return Result<Member>.PreconditionFailed(MemberConsoleMessages.Get("Members.Stale"));
        }
        if (member.Status == MemberStatus.Erased)
        {
            return Result<Member>.Conflict(MemberConsoleMessages.Get("Members.Erased"));
        }
        return Result.Ok(member);
    }

    private async Task<Result<MemberDetail>> ChangeStatusAsync(Guid memberId, Guid? concurrencyToken, string action, IReadOnlyDictionary<string, string?> parameters,
        Func<KurocoDbContext, Member, DateTime, Task<Result?>> change, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await LoadAsync(db, memberId, concurrencyToken, cancellationToken);
        if (!loaded.TryGetValue(out var member))
        {
            return loaded.As<MemberDetail>();
        }
        var now = clock.GetUtcNow();
        var before = StatusSnapshot(member, now);
        var sessionsBefore = await ActiveSessionsAsync(db, member.Id, now.UtcDateTime, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await change(db, member, now.UtcDateTime) is { } refused)
        {
            return refused.As<MemberDetail>();
        }
        var after = StatusSnapshot(member, now);
        var sessionsAfter = await ActiveSessionsAsync(db, member.Id, now.UtcDateTime, cancellationToken);
        before["ActiveSessions"] = sessionsBefore.ToString(CultureInfo.InvariantCulture);
        after["ActiveSessions"] = sessionsAfter.ToString(CultureInfo.InvariantCulture);
        if (AuditChanges.Diff(before, after).Count == 0)
        {
            // Nothing changed (e.g. unlocking a member who is not locked): nothing to save or audit.
            return Result.Ok(MemberDirectory.ToDetail(member));
        }
        var saved = await SaveAsync(db, member, cancellationToken);
        if (!saved.Succeeded)
        {
            return saved.As<MemberDetail>();
        }
        await transaction.CommitAsync(cancellationToken);
        await audit.WriteAsync(action, member.Id, parameters, AuditChanges.Diff(before, after), cancellationToken);
        return Result.Ok(MemberDirectory.ToDetail(member));
    }

    /// <summary>Saves with a new concurrency token; a concurrent change (token moved on) is PreconditionFailed, a unique email clash Conflict.</summary>
    private async Task<Result> SaveAsync(KurocoDbContext db, Member member, CancellationToken cancellationToken)
    {
        member.ConcurrencyToken = Guid.NewGuid();
        member.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result.PreconditionFailed(MemberConsoleMessages.Get("Members.Stale"));
        }
        catch (DbUpdateException)
        {
            // The unique normalized email: another save took the address between the check and this save.
            return Result.Conflict(MemberConsoleMessages.Get("Members.EmailTaken"));
        }
    }

    /// <summary>Revokes every refresh token still open; null (no refusal).</summary>
    private static async Task<Result?> RevokeSessionsAsync(KurocoDbContext db, Guid memberId, DateTime now, CancellationToken cancellationToken)
    {
        await db.MemberRefreshTokens.Where(t => t.MemberId == memberId && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, now), cancellationToken);
        return null;
    }

    private static Task<int> ActiveSessionsAsync(KurocoDbContext db, Guid memberId, DateTime now, CancellationToken cancellationToken) =>
        db.MemberRefreshTokens.CountAsync(t => t.MemberId == memberId && t.RevokedAtUtc == null && t.UsedAtUtc == null && t.ExpiresAtUtc > now, cancellationToken);

    private static Result<MemberDetail> EmailTaken() =>
        Result<MemberDetail>.Invalid([new FieldError(nameof(MemberProfileEdit.Email), MemberConsoleMessages.Get("Members.EmailTaken"))]);

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private static string GroupList(IEnumerable<Guid> ids) => string.Join(",", ids.Select(MemberAuditWriter.EntityId).Order(StringComparer.Ordinal));

    private static Dictionary<string, string?> ProfileSnapshot(Member member)
    {
        var snapshot = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [nameof(Member.Email)] = member.Email,
            [nameof(Member.DisplayName)] = member.DisplayName,
            [nameof(Member.NameKana)] = member.NameKana,
            [nameof(Member.Language)] = member.Language,
        };
        foreach (var (key, value) in ContentValues.Parse(member.ProfileJson))
        {
            snapshot["Profile." + key] = value;
        }
        return snapshot;
    }

    private static Dictionary<string, string?> StatusSnapshot(Member member, DateTimeOffset now) => new(StringComparer.Ordinal)
    {
        ["Status"] = member.Status.ToString(),
        ["Locked"] = member.IsLockedOut(now) ? "true" : "false",
        ["AccessFailedCount"] = member.AccessFailedCount.ToString(CultureInfo.InvariantCulture),
        // Masked in the entry (a stamp is a secret): it shows that the stamp changed, never its value.
        ["SecurityStamp"] = member.SecurityStamp,
    };
}
