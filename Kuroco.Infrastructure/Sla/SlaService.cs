using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Sla;

/// <summary>
/// The SLA: settings (one row, Administrators), maintenance windows (main database, Operators and Administrators) and the
/// availability of months and days, computed by <see cref="SlaCalculator"/> from the monitoring store's minutes. Reads
/// need no role (the public status page reads months, days and upcoming windows); every change checks the caller's role,
/// validates, saves and writes an audit entry; a refusal changes nothing.
/// </summary>
internal sealed class SlaService(
    IDbContextFactory<KurocoDbContext> contexts,
    IMonitoringSampleStore store,
    IValidator<SlaSettings> settingsValidator,
    IValidator<MaintenanceWindowRequest> windowValidator,
    SlaReportSchedule schedule,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : ISlaService
{
    /// <summary>The most months one call computes: what the monitoring store keeps.</summary>
    public const int MaxMonths = 13;

    /// <summary>The most days one call computes.</summary>
    public const int MaxDays = 400;

    // A window announced "now" from a form is a few seconds old when it is saved.
    private static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(1);

    public async Task<SlaSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<SlaSettingsRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == SlaSettingsRow.SingletonId, cancellationToken);
        return ToSettings(row);
    }

    public async Task<Result> SaveSettingsAsync(SlaSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var actor = await auditContext.GetActorAsync();
        if (!SlaLimits.CanChangeSettings(actor.Roles))
        {
            return Result.Forbidden(SlaMessages.Get("Sla.SettingsForbidden"));
        }
        var validation = await settingsValidator.ValidateAsync(settings, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var set = db.Set<SlaSettingsRow>();
        var row = await set.FirstOrDefaultAsync(r => r.Id == SlaSettingsRow.SingletonId, cancellationToken);
        var before = Snapshot(ToSettings(row));
        if (row is null)
        {
            row = new SlaSettingsRow();
            set.Add(row);
        }
        row.TargetPercent = settings.TargetPercent;
        row.CreditTiers = FormatTiers(settings.CreditTiers);
        row.CompanyTimeZone = settings.CompanyTimeZone;
        row.MailMonthlyReport = settings.MailMonthlyReport;
        var changes = AuditChanges.Diff(before, Snapshot(ToSettings(row)));
        if (changes.Count == 0)
        {
            return Result.Success;
        }
        row.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        row.UpdatedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        schedule.Apply(ToSettings(row));
        await audit.WriteAsync(new AuditRecord(AuditActions.SlaSettingsChanged, AuditEntityTypes.SlaSettings,
            SlaSettingsRow.SingletonId.ToString(CultureInfo.InvariantCulture),
            AuditParameters.Of(("fields", string.Join(",", changes.Select(c => c.Field)))), changes: changes), cancellationToken);
        return Result.Success;
    }

    public async Task<SlaMonth> GetMonthAsync(int year, int month, CancellationToken cancellationToken = default)
    {
        CheckMonth(year, month);
        var settings = await GetSettingsAsync(cancellationToken);
        var zone = StaffTimeZones.Find(settings.CompanyTimeZone);
        var (start, end) = SlaCalculator.MonthBounds(year, month, zone);
        var (since, minutes, windows) = await InputsAsync(start, end, cancellationToken);
        return SlaCalculator.Compute(year, month, zone, clock.GetUtcNow(), since, minutes, windows, settings.ToTerms());
    }

    public async Task<IReadOnlyList<SlaMonth>> GetMonthsAsync(int count, CancellationToken cancellationToken = default)
    {
        count = Math.Clamp(count, 1, MaxMonths);
        var settings = await GetSettingsAsync(cancellationToken);
        var zone = StaffTimeZones.Find(settings.CompanyTimeZone);
        var now = clock.GetUtcNow();
        var (year, month) = SlaCalculator.MonthOf(now, zone);
        var newest = new DateOnly(year, month, 1);
        var oldest = newest.AddMonths(1 - count);
        var (from, _) = SlaCalculator.MonthBounds(oldest.Year, oldest.Month, zone);
        var (_, to) = SlaCalculator.MonthBounds(newest.Year, newest.Month, zone);
        var (since, minutes, windows) = await InputsAsync(from, to, cancellationToken);
        var terms = settings.ToTerms();
        var months = new List<SlaMonth>(count);
        for (var m = newest; m >= oldest; m = m.AddMonths(-1))
        {
            var (start, end) = SlaCalculator.MonthBounds(m.Year, m.Month, zone);
            months.Add(SlaCalculator.Compute(m.Year, m.Month, zone, now, since, Slice(minutes, start, end), windows, terms));
        }
        return months;
    }

    public async Task<IReadOnlyList<SlaDay>> GetDaysAsync(int days, CancellationToken cancellationToken = default)
    {
        days = Math.Clamp(days, 1, MaxDays);
        var settings = await GetSettingsAsync(cancellationToken);
        var zone = StaffTimeZones.Find(settings.CompanyTimeZone);
        var now = clock.GetUtcNow();
        var today = SlaCalculator.DayOf(now, zone);
        var first = today.AddDays(1 - days);
        var (from, _) = SlaCalculator.DayBounds(first, zone);
        var (_, to) = SlaCalculator.DayBounds(today, zone);
        var (since, minutes, windows) = await InputsAsync(from, to, cancellationToken);
        return SlaCalculator.ComputeDays(first, days, zone, now, since, minutes, windows);
    }

    public async Task<IReadOnlyList<SlaDay>> GetMonthDaysAsync(int year, int month, CancellationToken cancellationToken = default)
    {
        CheckMonth(year, month);
        var settings = await GetSettingsAsync(cancellationToken);
        var zone = StaffTimeZones.Find(settings.CompanyTimeZone);
        var (start, end) = SlaCalculator.MonthBounds(year, month, zone);
        var (since, minutes, windows) = await InputsAsync(start, end, cancellationToken);
        return SlaCalculator.ComputeDays(new DateOnly(year, month, 1), DateTime.DaysInMonth(year, month), zone, clock.GetUtcNow(), since, minutes, windows);
    }

    public async Task<IReadOnlyList<MaintenanceWindow>> ListMaintenanceAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default)
    {
        var from = Utc(fromUtc);
        var to = Utc(toUtc);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<MaintenanceWindow>().AsNoTracking()
            .Where(w => w.CancelledAtUtc == null && w.StartUtc < to && w.EndUtc > from)
            .OrderBy(w => w.StartUtc).Take(1000).ToListAsync(cancellationToken);
    }

    public async Task<Result<Guid>> ScheduleMaintenanceAsync(MaintenanceWindowRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await CheckWindowRequestAsync(request, cancellationToken) is { } refused)
        {
            return refused.As<Guid>();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (Utc(request.StartUtc) < now - StartGrace)
        {
            return Result<Guid>.Invalid([new FieldError(nameof(request.StartUtc), SlaMessages.Get("Window.StartInPast"))]);
        }
        var window = new MaintenanceWindow { Id = Guid.CreateVersion7(), CreatedAtUtc = now };
        Apply(window, request);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Add(window);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.SlaMaintenanceScheduled, AuditEntityTypes.MaintenanceWindow, window.Id.ToString(),
            Parameters(window)), cancellationToken);
        return Result.Ok(window.Id);
    }

    public async Task<Result> UpdateMaintenanceAsync(Guid id, MaintenanceWindowRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await CheckWindowRequestAsync(request, cancellationToken) is { } refused)
        {
            return refused;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var window = await db.Set<MaintenanceWindow>().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (window is null)
        {
            return Result.NotFound(SlaMessages.Get("Window.NotFound"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (Refusal(window, now) is { } state)
        {
            return state;
        }
        var started = window.StartUtc <= now;
        if (started && (Utc(request.StartUtc) != window.StartUtc || Utc(request.EndUtc) <= now))
        {
            // A window under way cannot move its start, nor end in the past: that would rewrite which minutes were excluded.
            return Result.Invalid([new FieldError(nameof(request.StartUtc), SlaMessages.Get("Window.StartedStartFixed"))]);
        }
        if (!started && Utc(request.StartUtc) < now - StartGrace)
        {
            return Result.Invalid([new FieldError(nameof(request.StartUtc), SlaMessages.Get("Window.StartInPast"))]);
        }
        var before = Snapshot(window);
        Apply(window, request);
        var changes = AuditChanges.Diff(before, Snapshot(window));
        if (changes.Count == 0)
        {
            return Result.Success;
        }
        await db.SaveChangesAsync(cancellationToken);
        var parameters = new Dictionary<string, string?>(Parameters(window), StringComparer.Ordinal)
        {
            ["fields"] = string.Join(",", changes.Select(c => c.Field)),
        };
        await audit.WriteAsync(new AuditRecord(AuditActions.SlaMaintenanceUpdated, AuditEntityTypes.MaintenanceWindow, window.Id.ToString(),
            parameters, changes: changes), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> CancelMaintenanceAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var actor = await auditContext.GetActorAsync();
        if (!SlaLimits.CanManageMaintenance(actor.Roles))
        {
            return Result.Forbidden(SlaMessages.Get("Sla.Forbidden"));
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var window = await db.Set<MaintenanceWindow>().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (window is null)
        {
            return Result.NotFound(SlaMessages.Get("Window.NotFound"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (Refusal(window, now) is { } state)
        {
            return state;
        }
        if (window.StartUtc <= now)
        {
            // Cancelling a window under way would count its past minutes again: end it now instead (an edit).
            return Result.Conflict(SlaMessages.Get("Window.StartedCannotCancel"));
        }
        window.CancelledAtUtc = now;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.SlaMaintenanceCancelled, AuditEntityTypes.MaintenanceWindow, window.Id.ToString(),
            Parameters(window)), cancellationToken);
        return Result.Success;
    }

    internal static SlaSettings ToSettings(SlaSettingsRow? row) => row is null
        ? new SlaSettings()
        : new SlaSettings
        {
            TargetPercent = row.TargetPercent,
            CreditTiers = ParseTiers(row.CreditTiers),
            CompanyTimeZone = row.CompanyTimeZone,
            MailMonthlyReport = row.MailMonthlyReport,
        };

    internal static string FormatTiers(IEnumerable<SlaCreditTier> tiers) =>
        string.Join(';', tiers.Select(t => Number(t.BelowPercent) + ":" + Number(t.CreditPercent)));

    internal static List<SlaCreditTier> ParseTiers(string text) =>
    [
        .. text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split(':')).Select(p =>
            new SlaCreditTier(decimal.Parse(p[0], CultureInfo.InvariantCulture), decimal.Parse(p[1], CultureInfo.InvariantCulture))),
    ];

    private async Task<Result?> CheckWindowRequestAsync(MaintenanceWindowRequest request, CancellationToken cancellationToken)
    {
        var actor = await auditContext.GetActorAsync();
        if (!SlaLimits.CanManageMaintenance(actor.Roles))
        {
            return Result.Forbidden(SlaMessages.Get("Sla.Forbidden"));
        }
        var validation = await windowValidator.ValidateAsync(request, cancellationToken);
        return validation.IsValid ? null : Result.Invalid(validation);
    }

    private static Result? Refusal(MaintenanceWindow window, DateTime now) =>
        window.CancelledAtUtc is not null ? Result.Conflict(SlaMessages.Get("Window.Cancelled"))
        : window.EndUtc <= now ? Result.Conflict(SlaMessages.Get("Window.Ended"))
        : null;

    private static void Apply(MaintenanceWindow window, MaintenanceWindowRequest request)
    {
        window.StartUtc = Utc(request.StartUtc);
        window.EndUtc = Utc(request.EndUtc);
        window.TitleEn = request.TitleEn.Trim();
        window.TitleJa = request.TitleJa.Trim();
        window.DescriptionEn = (request.DescriptionEn ?? "").Trim();
        window.DescriptionJa = (request.DescriptionJa ?? "").Trim();
        window.Components = string.Join(',', request.Components.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    private static void CheckMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 2000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9998);
    }

    /// <summary>What every SLA figure of [from, to) is computed from: when monitoring began, the liveness minutes and the maintenance windows.</summary>
    private async Task<(DateTimeOffset? Since, IReadOnlyList<AvailabilityMinute> Minutes, List<SlaMaintenanceWindow> Windows)> InputsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        (await store.GetMonitoringSinceAsync(cancellationToken), await store.GetAvailabilityAsync(from, to, cancellationToken), await WindowsAsync(from, to, cancellationToken));

    private async Task<List<SlaMaintenanceWindow>> WindowsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        [.. (await ListMaintenanceAsync(from.UtcDateTime, to.UtcDateTime, cancellationToken)).Select(w => w.ToSlaWindow())];

    /// <summary>The minutes in [start, end) of a list ordered by minute.</summary>
    private static IEnumerable<AvailabilityMinute> Slice(IReadOnlyList<AvailabilityMinute> minutes, DateTimeOffset start, DateTimeOffset end)
    {
        int lo = 0, hi = minutes.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (minutes[mid].MinuteUtc < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        for (var i = lo; i < minutes.Count && minutes[i].MinuteUtc < end; i++)
        {
            yield return minutes[i];
        }
    }

    /// <summary>A percentage as invariant text without trailing zeros (99.900 → "99.9").</summary>
    internal static string Number(decimal value) => value.ToString("G29", CultureInfo.InvariantCulture);

    private static DateTime Utc(DateTime value) =>
        value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string Iso(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IReadOnlyDictionary<string, string?> Parameters(MaintenanceWindow window) => AuditParameters.Of(
        ("start", Iso(window.StartUtc)), ("end", Iso(window.EndUtc)), ("title", window.TitleEn), ("components", window.Components));

    private static Dictionary<string, string?> Snapshot(SlaSettings s) => new(StringComparer.Ordinal)
    {
        ["TargetPercent"] = Number(s.TargetPercent),
        ["CreditTiers"] = FormatTiers(s.CreditTiers),
        ["CompanyTimeZone"] = s.CompanyTimeZone,
        ["MailMonthlyReport"] = s.MailMonthlyReport ? "true" : "false",
    };

    private static Dictionary<string, string?> Snapshot(MaintenanceWindow w) => new(StringComparer.Ordinal)
    {
        ["StartUtc"] = Iso(w.StartUtc),
        ["EndUtc"] = Iso(w.EndUtc),
        ["TitleEn"] = w.TitleEn,
        ["TitleJa"] = w.TitleJa,
        ["DescriptionEn"] = w.DescriptionEn,
        ["DescriptionJa"] = w.DescriptionJa,
        ["Components"] = w.Components,
    };
}
