using Kuroco.Core.Security;

namespace Kuroco.Tests.Unit.Security;

public sealed class PasswordPolicyValidatorTests
{
    private readonly PasswordPolicyValidator validator = new();

    [Fact]
    public void The_defaults_are_valid_and_safe()
    {
        var policy = new PasswordPolicy();
        Assert.True(validator.Validate(policy).IsValid);
        Assert.Equal(12, policy.MinLength);
        Assert.Equal(5, policy.MaxFailedAttempts);
        Assert.Equal(5, policy.HistoryCount);
        Assert.True(policy.RejectCommonPasswords);
    }

    public static TheoryData<string, int, bool> Boundaries => new()
    {
        { nameof(PasswordPolicy.MinLength), 7, false },
        { nameof(PasswordPolicy.MinLength), 8, true },
        { nameof(PasswordPolicy.MinLength), 64, true },
        { nameof(PasswordPolicy.MinLength), 65, false },
        { nameof(PasswordPolicy.MaxLength), 63, false },
        { nameof(PasswordPolicy.MaxLength), 64, true },
        { nameof(PasswordPolicy.MinCharacterClasses), -1, false },
        { nameof(PasswordPolicy.MinCharacterClasses), 4, true },
        { nameof(PasswordPolicy.MinCharacterClasses), 5, false },
        { nameof(PasswordPolicy.ExpiryDays), -1, false },
        { nameof(PasswordPolicy.ExpiryDays), 3650, true },
        { nameof(PasswordPolicy.ExpiryDays), 3651, false },
        { nameof(PasswordPolicy.MaxFailedAttempts), 2, false },
        { nameof(PasswordPolicy.MaxFailedAttempts), 3, true },
        { nameof(PasswordPolicy.MaxFailedAttempts), 20, true },
        { nameof(PasswordPolicy.MaxFailedAttempts), 21, false },
        { nameof(PasswordPolicy.LockoutMinutes), 0, false },
        { nameof(PasswordPolicy.HistoryCount), 0, true },
        { nameof(PasswordPolicy.HistoryCount), 24, true },
        { nameof(PasswordPolicy.HistoryCount), 25, false },
        { nameof(PasswordPolicy.RememberMeDays), 0, false },
        { nameof(PasswordPolicy.RememberMeDays), 1, true },
        { nameof(PasswordPolicy.RememberMeDays), 90, true },
        { nameof(PasswordPolicy.RememberMeDays), 91, false },
        { nameof(PasswordPolicy.MinStrengthScore), 4, true },
        { nameof(PasswordPolicy.MinStrengthScore), 5, false },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Each_limit_is_enforced(string setting, int value, bool valid)
    {
        var policy = new PasswordPolicy();
        typeof(PasswordPolicy).GetProperty(setting)!.SetValue(policy, value);
        var result = validator.Validate(policy);
        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Contains(result.Errors, e => e.PropertyName == setting);
        }
    }

    [Fact]
    public void Minimum_and_maximum_may_meet() =>
        Assert.True(validator.Validate(new PasswordPolicy { MinLength = 64, MaxLength = 64 }).IsValid);

    [Fact]
    public void The_expiry_warning_must_come_before_the_expiry()
    {
        Assert.False(validator.Validate(new PasswordPolicy { ExpiryDays = 14, ExpiryWarningDays = 14 }).IsValid);
        Assert.True(validator.Validate(new PasswordPolicy { ExpiryDays = 15, ExpiryWarningDays = 14 }).IsValid);
        Assert.True(validator.Validate(new PasswordPolicy { ExpiryDays = 0, ExpiryWarningDays = 14 }).IsValid);
    }

    [Fact]
    public void Changes_list_every_changed_setting_with_before_and_after()
    {
        var before = new PasswordPolicy();
        var after = before.Clone();
        after.MinLength = 16;
        after.RequireSymbol = false;
        var changes = after.ChangesFrom(before);
        Assert.Equal(2, changes.Count);
        Assert.Contains(changes, c => c is { Field: "MinLength", Before: "12", After: "16" });
        Assert.Contains(changes, c => c is { Field: "RequireSymbol", Before: "true", After: "false" });
        Assert.Equal(TimeSpan.FromMinutes(15), before.LockoutSpan);
        Assert.True(new PasswordPolicy { LockoutUntilUnlocked = true }.LockoutSpan > TimeSpan.FromDays(3650));
    }
}
