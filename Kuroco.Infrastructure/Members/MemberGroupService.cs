using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>The member groups (see <see cref="IMemberGroupService"/>): names unique per language, deletion only of an empty group unless its members are moved or removed.</summary>
internal sealed class MemberGroupService(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<MemberGroupInput> validator,
    MemberAuditWriter audit,
    IAuditContext auditContext,
    TimeProvider clock) : IMemberGroupService
{
    private const string EntityType = "MemberGroup";
    private const int MoveBatchSize = 1_000;

    public async Task<IReadOnlyList<MemberGroupSummary>> ListAsync(string language, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var groups = await db.MemberGroups.AsNoTracking()
            .Select(g => new MemberGroupSummary(g.Id, g.NameJa, g.NameEn, db.MemberGroupMemberships.Count(m => m.GroupId == g.Id), g.CreatedAtUtc, g.ConcurrencyToken))
            .ToListAsync(cancellationToken);
        return [.. groups.OrderBy(g => g.NameFor(language), StringComparer.CurrentCulture).ThenBy(g => g.Id)];
    }

    public async Task<Result<MemberGroupSummary>> CreateAsync(MemberGroupInput input, CancellationToken cancellationToken = default)
    {
        var checkedInput = await CheckAsync(input, null, cancellationToken);
        if (!checkedInput.Succeeded)
        {
            return checkedInput.As<MemberGroupSummary>();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var group = new MemberGroup { Id = Guid.NewGuid(), NameJa = input.NameJa.Trim(), NameEn = input.NameEn.Trim(), CreatedAtUtc = now, UpdatedAtUtc = now };
        db.MemberGroups.Add(group);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteOtherAsync(new AuditRecord(AuditActions.MemberGroupCreated, EntityType, MemberAuditWriter.EntityId(group.Id),
            AuditParameters.Of(("name", Describe(group))),
            changes: [new FieldChange(nameof(MemberGroup.NameJa), null, group.NameJa), new FieldChange(nameof(MemberGroup.NameEn), null, group.NameEn)]), cancellationToken);
        return Result.Ok(Summary(group, 0));
    }

    public async Task<Result<MemberGroupSummary>> RenameAsync(Guid groupId, MemberGroupInput input, Guid concurrencyToken, CancellationToken cancellationToken = default)
    {
        var checkedInput = await CheckAsync(input, groupId, cancellationToken);
        if (!checkedInput.Succeeded)
        {
            return checkedInput.As<MemberGroupSummary>();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var group = await db.MemberGroups.FirstOrDefaultAsync(g => g.Id == groupId, cancellationToken);
        if (group is null)
        {
            return Result<MemberGroupSummary>.NotFound(MemberConsoleMessages.Get("Members.GroupNotFound"));
        }
        if (group.ConcurrencyToken != concurrencyToken)
        {
            return Result<MemberGroupSummary>.PreconditionFailed(MemberConsoleMessages.Get("Members.GroupStale"));
        }
        var before = Names(group);
        group.NameJa = input.NameJa.Trim();
        group.NameEn = input.NameEn.Trim();
        var changes = AuditChanges.Diff(before, Names(group));
        var members = await db.MemberGroupMemberships.CountAsync(m => m.GroupId == groupId, cancellationToken);
        if (changes.Count == 0)
        {
            return Result.Ok(Summary(group, members));
        }
        group.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        group.ConcurrencyToken = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<MemberGroupSummary>.PreconditionFailed(MemberConsoleMessages.Get("Members.GroupStale"));
        }
        await audit.WriteOtherAsync(new AuditRecord(AuditActions.MemberGroupRenamed, EntityType, MemberAuditWriter.EntityId(group.Id),
            AuditParameters.Of(("name", Describe(group))), changes: changes), cancellationToken);
        return Result.Ok(Summary(group, members));
    }

    public async Task<Result<int>> DeleteAsync(Guid groupId, MemberGroupDeletion deletion, Guid concurrencyToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deletion);
        if (await MemberConsoleAccess.RequireAdministratorAsync(auditContext) is { } refused)
        {
            return refused.As<int>();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var group = await db.MemberGroups.FirstOrDefaultAsync(g => g.Id == groupId, cancellationToken);
        if (group is null)
        {
            return Result<int>.NotFound(MemberConsoleMessages.Get("Members.GroupNotFound"));
        }
        if (group.ConcurrencyToken != concurrencyToken)
        {
            return Result<int>.PreconditionFailed(MemberConsoleMessages.Get("Members.GroupStale"));
        }
        var memberCount = await db.MemberGroupMemberships.CountAsync(m => m.GroupId == groupId, cancellationToken);
        MemberGroup? target = null;
        if (memberCount > 0)
        {
            switch (deletion.Mode)
            {
                case MemberGroupDeletionMode.MoveMembers:
                    target = deletion.TargetGroupId is { } targetId && targetId != groupId
                        ? await db.MemberGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == targetId, cancellationToken)
                        : null;
                    if (target is null)
                    {
                        return Result<int>.Invalid([new FieldError(nameof(MemberGroupDeletion.TargetGroupId), MemberConsoleMessages.Get("Members.GroupMoveTarget"))]);
                    }
                    break;
                case MemberGroupDeletionMode.RemoveMembers:
                    break;
                default:
                    return Result<int>.Conflict(MemberConsoleMessages.Format("Members.GroupInUse", memberCount), new MemberGroupInUse(memberCount));
            }
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (memberCount > 0)
            {
                // The members' groups change: their pages must reload before saving.
                var token = Guid.NewGuid();
                await db.Members.Where(m => m.Groups.Any(g => g.GroupId == groupId)).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.ConcurrencyToken, token).SetProperty(m => m.UpdatedAtUtc, now), cancellationToken);
            }
            if (target is not null)
            {
                await MoveAsync(db, groupId, target.Id, now, cancellationToken);
            }
            await db.MemberGroupMemberships.Where(m => m.GroupId == groupId).ExecuteDeleteAsync(cancellationToken);
            db.MemberGroups.Remove(group);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Result<int>.PreconditionFailed(MemberConsoleMessages.Get("Members.GroupStale"));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var changes = new List<FieldChange>
        {
            new(nameof(MemberGroup.NameJa), group.NameJa, null),
            new(nameof(MemberGroup.NameEn), group.NameEn, null),
            new("Members", memberCount.ToString(CultureInfo.InvariantCulture), "0"),
        };
        if (target is not null)
        {
            changes.Add(new FieldChange("MovedTo", null, MemberAuditWriter.EntityId(target.Id)));
        }
        var parameters = memberCount == 0
            ? AuditParameters.Of(("name", Describe(group)), ("variant", "empty"))
            : target is not null
                ? AuditParameters.Of(("name", Describe(group)), ("members", memberCount.ToString(CultureInfo.InvariantCulture)), ("target", Describe(target)), ("variant", "moved"))
                : AuditParameters.Of(("name", Describe(group)), ("members", memberCount.ToString(CultureInfo.InvariantCulture)));
        await audit.WriteOtherAsync(new AuditRecord(AuditActions.MemberGroupDeleted, EntityType, MemberAuditWriter.EntityId(groupId),
            parameters, changes: changes), cancellationToken);
        return Result.Ok(memberCount);
    }

    /// <summary>Adds the group's members to the target group (those not in it yet), in batches.</summary>
    private static async Task MoveAsync(KurocoDbContext db, Guid groupId, Guid targetId, DateTime now, CancellationToken cancellationToken)
    {
        var moving = await db.MemberGroupMemberships.Where(m => m.GroupId == groupId
                && !db.MemberGroupMemberships.Any(t => t.GroupId == targetId && t.MemberId == m.MemberId))
            .Select(m => m.MemberId).ToListAsync(cancellationToken);
        foreach (var batch in moving.Chunk(MoveBatchSize))
        {
            db.MemberGroupMemberships.AddRange(batch.Select(id => new MemberGroupMembership { MemberId = id, GroupId = targetId, AddedAtUtc = now }));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The input is valid and no other group has either name (case-insensitive, per language).</summary>
    private async Task<Result> CheckAsync(MemberGroupInput input, Guid? exceptId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.NameJa = (input.NameJa ?? "").Trim();
        input.NameEn = (input.NameEn ?? "").Trim();
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var others = await db.MemberGroups.AsNoTracking().Where(g => g.Id != exceptId).Select(g => new { g.NameJa, g.NameEn }).ToListAsync(cancellationToken);
        var errors = new List<FieldError>();
        if (input.NameJa.Length > 0 && others.Any(o => string.Equals(o.NameJa, input.NameJa, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(new FieldError(nameof(MemberGroupInput.NameJa), MemberConsoleMessages.Format("Members.GroupNameTaken", input.NameJa)));
        }
        if (input.NameEn.Length > 0 && others.Any(o => string.Equals(o.NameEn, input.NameEn, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(new FieldError(nameof(MemberGroupInput.NameEn), MemberConsoleMessages.Format("Members.GroupNameTaken", input.NameEn)));
        }
        return errors.Count > 0 ? Result.Invalid(errors) : Result.Success;
    }

    private static Dictionary<string, string?> Names(MemberGroup group) => new(StringComparer.Ordinal)
    {
        [nameof(MemberGroup.NameJa)] = group.NameJa,
        [nameof(MemberGroup.NameEn)] = group.NameEn,
    };

    private static string Describe(MemberGroup group) => string.Join(" / ", new[] { group.NameJa, group.NameEn }.Where(n => n.Length > 0));

    private static MemberGroupSummary Summary(MemberGroup group, int members) =>
        new(group.Id, group.NameJa, group.NameEn, members, group.CreatedAtUtc, group.ConcurrencyToken);
}
