using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Security;

/// <summary>The staff password policy as last read (see <see cref="SettingsCache{T}"/>).</summary>
public sealed class PasswordPolicyCache(TimeProvider clock) : SettingsCache<PasswordPolicy>(clock, p => p.Clone());

/// <summary>The member password policy as last read.</summary>
public sealed class MemberPasswordPolicyCache(TimeProvider clock) : SettingsCache<PasswordPolicy>(clock, p => p.Clone());

/// <summary>The staff policy: row 1 of PasswordPolicies.</summary>
internal sealed class PasswordPolicyStore(KurocoDbContext db, PasswordPolicyCache cache, IValidator<PasswordPolicy> validator, IAuditLog audit, TimeProvider clock)
    : PasswordPolicyRowStore(db, cache, validator, audit, clock, PasswordPolicyConfiguration.SingletonId, AuditActions.PasswordPolicyChanged, AuditEntityTypes.PasswordPolicy), IPasswordPolicyStore;

/// <summary>The website members' policy: row 2 of PasswordPolicies, edited and audited separately from the staff one.</summary>
internal sealed class MemberPasswordPolicyStore(KurocoDbContext db, MemberPasswordPolicyCache cache, IValidator<PasswordPolicy> validator, IAuditLog audit, TimeProvider clock)
    : PasswordPolicyRowStore(db, cache, validator, audit, clock, PasswordPolicyConfiguration.MemberPolicyId, AuditActions.MemberPasswordPolicyChanged, AuditEntityTypes.MemberPasswordPolicy), Core.Members.IMemberPasswordPolicyStore;

/// <summary>One stored password policy (a row of PasswordPolicies): cached reads, validated and audited saves.</summary>
internal abstract class PasswordPolicyRowStore(
    KurocoDbContext db,
    SettingsCache<PasswordPolicy> cache,
    IValidator<PasswordPolicy> validator,
    IAuditLog audit,
    TimeProvider clock,
    int rowId,
    string auditAction,
    string auditEntityType)
{
    public async Task<PasswordPolicy> GetAsync(CancellationToken cancellationToken = default)
    {
        if (cache.TryGet() is { } cached)
        {
            return cached;
        }
        var stored = await db.Set<PasswordPolicy>().AsNoTracking()
            .FirstOrDefaultAsync(p => EF.Property<int>(p, PasswordPolicyConfiguration.IdProperty) == rowId, cancellationToken);
        var policy = stored ?? new PasswordPolicy();
        cache.Set(policy);
        return policy.Clone();
    }

    public async Task<Result<IReadOnlyList<FieldChange>>> SaveAsync(PasswordPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var validation = await validator.ValidateAsync(policy, cancellationToken);
        if (!validation.IsValid)
        {
            return Result<IReadOnlyList<FieldChange>>.Invalid(validation);
        }
        var row = await db.Set<PasswordPolicy>()
            .FirstOrDefaultAsync(p => EF.Property<int>(p, PasswordPolicyConfiguration.IdProperty) == rowId, cancellationToken);
        var before = row?.Clone() ?? new PasswordPolicy();
        var changes = policy.ChangesFrom(before);
        if (changes.Count == 0)
        {
            return Result.Ok(changes);
        }
        if (row is null)
        {
            row = policy.Clone();
            db.Add(row).Property(PasswordPolicyConfiguration.IdProperty).CurrentValue = rowId;
        }
        else
        {
            db.Entry(row).CurrentValues.SetValues(policy);
        }
        db.Entry(row).Property(PasswordPolicyConfiguration.UpdatedAtProperty).CurrentValue = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        cache.Set(policy);
        await audit.WriteAsync(new AuditRecord(auditAction, auditEntityType, rowId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AuditParameters.Of(("fields", string.Join(",", changes.Select(c => c.Field)))), changes: changes), cancellationToken);
        return Result.Ok(changes);
    }
}
