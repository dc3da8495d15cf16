using Hangfire;
using Hangfire.Storage;
using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Audit.Review;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>The review settings: saved and audited with before and after, refused when out of range, and the schedule follows the zone.</summary>
public sealed class AuditReviewSettingsTests(AuditReviewAppFactory factory) : IClassFixture<AuditReviewAppFactory>
{
    private Task<T> WithStoreAsync<T>(Func<IAuditReviewSettingsStore, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IAuditReviewSettingsStore>()));

    [Fact]
    public async Task Saving_is_audited_and_moves_the_schedule_and_bad_values_change_nothing()
    {
        var defaults = await WithStoreAsync(s => s.GetAsync().AsTask());
        Assert.Equal(AuditReviewSettings.DefaultFailedSignIns, defaults.FailedSignInThreshold);
        Assert.Equal("Asia/Tokyo", defaults.TimeZoneId);
        Assert.Equal("Asia/Tokyo", MonthlyJob().TimeZoneId);

        var changed = defaults.Clone();
        changed.FailedSignInThreshold = 8;
        changed.TimeZoneId = "UTC";
        changed.BusinessDays = [DayOfWeek.Monday, DayOfWeek.Saturday];
        Assert.True((await WithStoreAsync(s => s.SaveAsync(changed))).Succeeded);

        var saved = await WithStoreAsync(s => s.GetAsync().AsTask());
        Assert.Equal(8, saved.FailedSignInThreshold);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Saturday], saved.BusinessDays);
        Assert.Equal("UTC", MonthlyJob().TimeZoneId);
        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.AuditReviewSettingsChanged);
        Assert.Contains("FailedSignInThreshold", entry.Changes, StringComparison.Ordinal);
        Assert.Contains("\"8\"", entry.Changes, StringComparison.Ordinal);

        var bad = saved.Clone();
        bad.OverdueDays = 0;
        bad.FailedSignInThreshold = 9;
        var refused = await WithStoreAsync(s => s.SaveAsync(bad));
        Assert.Equal(ErrorKind.Validation, refused.Error);
        Assert.Equal(8, (await WithStoreAsync(s => s.GetAsync().AsTask())).FailedSignInThreshold);
        Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.AuditReviewSettingsChanged);

        changed.TimeZoneId = "Asia/Tokyo";
        Assert.True((await WithStoreAsync(s => s.SaveAsync(changed))).Succeeded);
        Assert.Equal("Asia/Tokyo", MonthlyJob().TimeZoneId);
    }

    private RecurringJobDto MonthlyJob()
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().Single(j => j.Id == AuditReviewMonthlyJob.JobId);
    }
}
