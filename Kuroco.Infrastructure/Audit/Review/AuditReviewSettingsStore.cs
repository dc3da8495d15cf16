using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Security;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Audit.Review;

/// <summary>The review settings as last read (see <see cref="SettingsCache{T}"/>).</summary>
internal sealed class AuditReviewSettingsCache(TimeProvider clock) : SettingsCache<AuditReviewSettings>(clock, s => s.Clone());

internal sealed class AuditReviewSettingsStore(
    KurocoDbContext db,
    AuditReviewSettingsCache cache,
    IValidator<AuditReviewSettings> validator,
    IAuditLog audit,
    IAuditContext auditContext,
    AuditReviewSchedule schedule,
    TimeProvider clock) : IAuditReviewSettingsStore
{
    public async ValueTask<AuditReviewSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        if (cache.TryGet() is { } cached)
        {
            return cached;
        }
        var row = await db.Set<AuditReviewSettingsRow>().AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == AuditReviewSettingsRow.SingletonId, cancellationToken);
        var settings = ToSettings(row);
        cache.Set(settings);
        return settings.Clone();
    }

    public async Task<Result> SaveAsync(AuditReviewSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var validation = await validator.ValidateAsync(settings, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        var set = db.Set<AuditReviewSettingsRow>();
        var row = await set.FirstOrDefaultAsync(s => s.Id == AuditReviewSettingsRow.SingletonId, cancellationToken);
        var before = Snapshot(ToSettings(row));
        if (row is null)
        {
            row = new AuditReviewSettingsRow();
            set.Add(row);
        }
        row.FailedSignInThreshold = settings.FailedSignInThreshold;
        row.FailedSignInWindowMinutes = settings.FailedSignInWindowMinutes;
        row.NewAddressLookbackDays = settings.NewAddressLookbackDays;
        row.DeletionThreshold = settings.DeletionThreshold;
        row.DeletionWindowMinutes = settings.DeletionWindowMinutes;
        row.BusinessStartMinutes = settings.BusinessStartMinutes;
        row.BusinessEndMinutes = settings.BusinessEndMinutes;
        row.BusinessDays = settings.BusinessDaysText;
        row.OverdueDays = settings.OverdueDays;
        row.TimeZoneId = settings.TimeZoneId;
        row.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        row.UpdatedBy = (await auditContext.GetActorAsync()).Name;
        await db.SaveChangesAsync(cancellationToken);
        cache.Clear();
        var after = ToSettings(row);
        schedule.Apply(after.TimeZoneId);
        var changes = AuditChanges.Diff(before, Snapshot(after));
        if (changes.Count > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.AuditReviewSettingsChanged, "AuditReviewSettings",
                AuditReviewSettingsRow.SingletonId.ToString(CultureInfo.InvariantCulture),
                AuditParameters.Of(("fields", string.Join(",", changes.Select(c => c.Field)))), changes: changes),
                cancellationToken);
        }
        return Result.Success;
    }

    internal static AuditReviewSettings ToSettings(AuditReviewSettingsRow? row) => row is null
        ? AuditReviewSettings.Default
        : new AuditReviewSettings
        {
            FailedSignInThreshold = row.FailedSignInThreshold,
            FailedSignInWindowMinutes = row.FailedSignInWindowMinutes,
            NewAddressLookbackDays = row.NewAddressLookbackDays,
            DeletionThreshold = row.DeletionThreshold,
            DeletionWindowMinutes = row.DeletionWindowMinutes,
            BusinessStartMinutes = row.BusinessStartMinutes,
            BusinessEndMinutes = row.BusinessEndMinutes,
            BusinessDays = AuditReviewSettings.ParseBusinessDays(row.BusinessDays),
            OverdueDays = row.OverdueDays,
            TimeZoneId = row.TimeZoneId,
        };

    private static Dictionary<string, string?> Snapshot(AuditReviewSettings s) => new()
    {
        ["FailedSignInThreshold"] = s.FailedSignInThreshold.ToString(CultureInfo.InvariantCulture),
        ["FailedSignInWindowMinutes"] = s.FailedSignInWindowMinutes.ToString(CultureInfo.InvariantCulture),
        ["NewAddressLookbackDays"] = s.NewAddressLookbackDays.ToString(CultureInfo.InvariantCulture),
        ["DeletionThreshold"] = s.DeletionThreshold.ToString(CultureInfo.InvariantCulture),
        ["DeletionWindowMinutes"] = s.DeletionWindowMinutes.ToString(CultureInfo.InvariantCulture),
        ["BusinessStartMinutes"] = s.BusinessStartMinutes.ToString(CultureInfo.InvariantCulture),
        ["BusinessEndMinutes"] = s.BusinessEndMinutes.ToString(CultureInfo.InvariantCulture),
        ["BusinessDays"] = s.BusinessDaysText,
        ["OverdueDays"] = s.OverdueDays.ToString(CultureInfo.InvariantCulture),
        ["TimeZoneId"] = s.TimeZoneId,
    };
}

/// <summary>
/// Schedules the review's two recurring jobs in the zone of the stored settings: the monthly preparation on the 1st at
/// 02:00 and the daily overdue reminder at 09:00. Called at start-up and again whenever the settings are saved.
/// </summary>
public sealed class AuditReviewSchedule(IRecurringJobManager manager, IDbContextFactory<KurocoDbContext> contexts)
{
    public const string MonthlyCron = "0 2 1 * *";
    public const string ReminderCron = "0 9 * * *";

    /// <summary>Reads the stored zone (a missing row or table means the default) and schedules both jobs.</summary>
    public void Register()
    {
        using var db = contexts.CreateDbContext();
        var row = db.Set<AuditReviewSettingsRow>().AsNoTracking().FirstOrDefault(s => s.Id == AuditReviewSettingsRow.SingletonId);
        Apply(AuditReviewSettingsStore.ToSettings(row).TimeZoneId);
    }

    public void Apply(string timeZoneId)
    {
        var zone = Kuroco.Core.Staff.StaffTimeZones.Find(timeZoneId);
        manager.AddOrUpdate<AuditReviewMonthlyJob>(AuditReviewMonthlyJob.JobId, job => job.ExecuteAsync(CancellationToken.None),
            MonthlyCron, new RecurringJobOptions { TimeZone = zone });
        manager.AddOrUpdate<AuditReviewReminderJob>(AuditReviewReminderJob.JobId, job => job.ExecuteAsync(CancellationToken.None),
            ReminderCron, new RecurringJobOptions { TimeZone = zone });
    }
}
