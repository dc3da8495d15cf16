using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Security;

/// <summary>The session policy as last read; every request checks its session against it (see <see cref="SettingsCache{T}"/>).</summary>
internal sealed class SessionPolicyCache(TimeProvider clock) : SettingsCache<SessionPolicy>(clock, p => p.Clone());

internal sealed class SessionPolicyStore(
    KurocoDbContext db,
    SessionPolicyCache cache,
    IValidator<SessionPolicy> validator,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : ISessionPolicyStore
{
    public async ValueTask<SessionPolicy> GetAsync(CancellationToken cancellationToken = default)
    {
        if (cache.TryGet() is { } cached)
        {
            return cached.Clone();
        }
        var row = await db.Set<SessionPolicySettings>().AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == SessionPolicySettings.SingletonId, cancellationToken);
        var policy = row is null ? SessionPolicy.Default : ToPolicy(row);
        cache.Set(policy);
        return policy.Clone();
    }

    public async Task<Result> SaveAsync(SessionPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var validation = await validator.ValidateAsync(policy, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        var set = db.Set<SessionPolicySettings>();
        var row = await set.FirstOrDefaultAsync(s => s.Id == SessionPolicySettings.SingletonId, cancellationToken);
        var before = Snapshot(row is null ? SessionPolicy.Default : ToPolicy(row));
        if (row is null)
        {
            row = new SessionPolicySettings();
            set.Add(row);
        }
        row.IdleTimeoutMinutes = policy.IdleTimeoutMinutes;
        row.AbsoluteLifetimeMinutes = policy.AbsoluteLifetimeMinutes;
        row.TwoFactorRequiredRoles = JoinRoles(policy.TwoFactorRequiredRoles);
        row.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        row.UpdatedBy = (await auditContext.GetActorAsync()).Name;
        await db.SaveChangesAsync(cancellationToken);
        cache.Clear();
        var changes = AuditChanges.Diff(before, Snapshot(ToPolicy(row)));
        if (changes.Count > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.SessionPolicyChanged, "SessionPolicy",
                SessionPolicySettings.SingletonId.ToString(CultureInfo.InvariantCulture),
                AuditParameters.Of(("fields", string.Join(",", changes.Select(c => c.Field)))), changes: changes),
                cancellationToken);
        }
        return Result.Success;
    }

    private static SessionPolicy ToPolicy(SessionPolicySettings row) => new()
    {
        IdleTimeoutMinutes = row.IdleTimeoutMinutes,
        AbsoluteLifetimeMinutes = row.AbsoluteLifetimeMinutes,
        TwoFactorRequiredRoles = [.. row.TwoFactorRequiredRoles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
    };

    private static string JoinRoles(IEnumerable<string> roles) =>
        string.Join(",", roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static Dictionary<string, string?> Snapshot(SessionPolicy policy) => new()
    {
        ["IdleTimeoutMinutes"] = policy.IdleTimeoutMinutes.ToString(CultureInfo.InvariantCulture),
        ["AbsoluteLifetimeMinutes"] = policy.AbsoluteLifetimeMinutes.ToString(CultureInfo.InvariantCulture),
        ["TwoFactorRequiredRoles"] = JoinRoles(policy.TwoFactorRequiredRoles),
    };
}
