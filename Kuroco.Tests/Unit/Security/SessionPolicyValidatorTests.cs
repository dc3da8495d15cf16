using Kuroco.Core.Security;
using Kuroco.Core.Staff;

namespace Kuroco.Tests.Unit.Security;

public sealed class SessionPolicyValidatorTests
{
    private static readonly SessionPolicyValidator Validator = new();

    [Theory]
    [InlineData(5, 5, true)]
    [InlineData(30, 720, true)]
    [InlineData(10080, 10080, true)]
    [InlineData(4, 720, false)]
    [InlineData(30, 10081, false)]
    [InlineData(60, 30, false)]
    public void Minutes_must_be_from_five_minutes_to_seven_days_and_the_lifetime_at_least_the_idle_timeout(int idle, int absolute, bool valid) =>
        Assert.Equal(valid, Validator.Validate(new SessionPolicy { IdleTimeoutMinutes = idle, AbsoluteLifetimeMinutes = absolute }).IsValid);

    [Fact]
    public void Defaults_are_thirty_minutes_idle_and_twelve_hours_in_all()
    {
        var policy = SessionPolicy.Default;
        Assert.Equal(TimeSpan.FromMinutes(30), policy.IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(12), policy.AbsoluteLifetime);
        Assert.True(Validator.Validate(policy).IsValid);
    }

    [Fact]
    public void Two_factor_roles_must_be_known_roles()
    {
        Assert.True(Validator.Validate(new SessionPolicy { TwoFactorRequiredRoles = [StaffRoles.Administrator] }).IsValid);
        Assert.False(Validator.Validate(new SessionPolicy { TwoFactorRequiredRoles = ["Root"] }).IsValid);
    }

    [Fact]
    public void Lifetimes_are_measured_strictly_after_the_limit()
    {
        var policy = new SessionPolicy { IdleTimeoutMinutes = 10, AbsoluteLifetimeMinutes = 60 };
        var start = DateTimeOffset.UnixEpoch;
        Assert.False(policy.IsIdleTooLong(start, start.AddMinutes(10)));
        Assert.True(policy.IsIdleTooLong(start, start.AddMinutes(10).AddSeconds(1)));
        Assert.False(policy.IsPastLifetime(start, start.AddMinutes(60)));
        Assert.True(policy.IsPastLifetime(start, start.AddMinutes(61)));
    }
}
