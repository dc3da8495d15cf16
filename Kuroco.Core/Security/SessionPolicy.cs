using FluentValidation;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;

namespace Kuroco.Core.Security;

/// <summary>
/// How long a sign-in lasts: it ends after <see cref="IdleTimeoutMinutes"/> without use, and
/// <see cref="AbsoluteLifetimeMinutes"/> after signing in whatever the use. Staff in
/// <see cref="TwoFactorRequiredRoles"/> must sign in with a second factor.
/// </summary>
public sealed class SessionPolicy
{
    public const int MinMinutes = 5;
    public const int MaxMinutes = 7 * 24 * 60;
    public const int DefaultIdleTimeoutMinutes = 30;
    public const int DefaultAbsoluteLifetimeMinutes = 12 * 60;

    public int IdleTimeoutMinutes { get; set; } = DefaultIdleTimeoutMinutes;
    public int AbsoluteLifetimeMinutes { get; set; } = DefaultAbsoluteLifetimeMinutes;
    public IList<string> TwoFactorRequiredRoles { get; set; } = [];

    public TimeSpan IdleTimeout => TimeSpan.FromMinutes(IdleTimeoutMinutes);
    public TimeSpan AbsoluteLifetime => TimeSpan.FromMinutes(AbsoluteLifetimeMinutes);

    public static SessionPolicy Default => new();

    public SessionPolicy Clone() => new()
    {
        IdleTimeoutMinutes = IdleTimeoutMinutes,
        AbsoluteLifetimeMinutes = AbsoluteLifetimeMinutes,
        TwoFactorRequiredRoles = [.. TwoFactorRequiredRoles],
    };

    /// <summary>True when a session issued at <paramref name="issuedUtc"/> has outlived the absolute lifetime at <paramref name="nowUtc"/>.</summary>
    public bool IsPastLifetime(DateTimeOffset issuedUtc, DateTimeOffset nowUtc) => nowUtc - issuedUtc > AbsoluteLifetime;

    /// <summary>True when a session last used at <paramref name="lastUseUtc"/> has been idle too long at <paramref name="nowUtc"/>.</summary>
    public bool IsIdleTooLong(DateTimeOffset lastUseUtc, DateTimeOffset nowUtc) => nowUtc - lastUseUtc > IdleTimeout;
}

public sealed class SessionPolicyValidator : AbstractValidator<SessionPolicy>
{
    public SessionPolicyValidator()
    {
        RuleFor(p => p.IdleTimeoutMinutes).InclusiveBetween(SessionPolicy.MinMinutes, SessionPolicy.MaxMinutes)
            .WithMessage(_ => CoreMessages.Format("Sessions.MinutesRange", SessionPolicy.MinMinutes, SessionPolicy.MaxMinutes));
        RuleFor(p => p.AbsoluteLifetimeMinutes).InclusiveBetween(SessionPolicy.MinMinutes, SessionPolicy.MaxMinutes)
            .WithMessage(_ => CoreMessages.Format("Sessions.MinutesRange", SessionPolicy.MinMinutes, SessionPolicy.MaxMinutes));
        RuleFor(p => p.AbsoluteLifetimeMinutes).GreaterThanOrEqualTo(p => p.IdleTimeoutMinutes)
            .WithMessage(_ => CoreMessages.Get("Sessions.LifetimeShorterThanIdle"));
        RuleFor(p => p.TwoFactorRequiredRoles).NotNull()
            .Must(roles => roles.All(StaffRoles.All.Contains)).WithMessage(_ => CoreMessages.Get("Staff.RoleUnknown"));
    }
}

/// <summary>The session policy in force. Reads are cached briefly; saving is audited with before and after.</summary>
public interface ISessionPolicyStore
{
    /// <summary>The policy in force (cached for a few seconds, so every request can ask).</summary>
    ValueTask<SessionPolicy> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Validates, stores and audits the policy; an invalid one is a <see cref="ErrorKind.Validation"/> failure by setting name.</summary>
    Task<Result> SaveAsync(SessionPolicy policy, CancellationToken cancellationToken = default);
}
