using System.Globalization;
using Kuroco.Core.Audit;

namespace Kuroco.Tests.Unit.Audit;

public sealed class AuditRetentionSettingsTests
{
    private readonly AuditRetentionSettingsValidator validator = new();

    [Theory]
    [InlineData(12)]
    [InlineData(36)]
    [InlineData(120)]
    public void Retention_from_the_floor_to_the_maximum_is_accepted(int months) =>
        Assert.True(validator.Validate(new AuditRetentionSettings(months)).IsValid);

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(-12)]
    public void Retention_below_12_months_is_refused_with_the_promise_in_english(int months)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        try
        {
            var error = Assert.Single(validator.Validate(new AuditRetentionSettings(months)).Errors);
            Assert.Contains("at least 12 months", error.ErrorMessage, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void Retention_below_the_floor_is_refused_in_japanese()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ja");
        try
        {
            var error = Assert.Single(validator.Validate(new AuditRetentionSettings(11)).Errors);
            Assert.Contains("最低12か月", error.ErrorMessage, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void Retention_above_the_maximum_is_refused() =>
        Assert.False(validator.Validate(new AuditRetentionSettings(121)).IsValid);

    [Fact]
    public void The_cutoff_is_retention_months_before_now() =>
        Assert.Equal(new DateTime(2025, 12, 6, 10, 0, 0, DateTimeKind.Utc),
            new AuditRetentionSettings(12).CutoffUtc(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero)));
}
