using System.Globalization;
using Kuroco.Core.Common;

namespace Kuroco.Core.Sla;

/// <summary>
/// The SLA's settings (Administrators): the monthly target, the contract's credit tiers, the company's zone the
/// calendar months are cut in, and whether the monthly report is mailed to the Administrators.
/// </summary>
public sealed class SlaSettings
{
    public decimal TargetPercent { get; set; } = SlaTerms.Default.TargetPercent;

    public List<SlaCreditTier> CreditTiers { get; set; } = [.. SlaTerms.Default.CreditTiers];

    /// <summary>An IANA zone id (Asia/Tokyo by default): the calendar months of the SLA are months in this zone.</summary>
    public string CompanyTimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>Whether the monthly job mails the report to every Administrator.</summary>
    public bool MailMonthlyReport { get; set; } = true;

    public SlaTerms ToTerms() => new(TargetPercent, [.. CreditTiers]);

    public SlaSettings Clone() => new()
    {
        TargetPercent = TargetPercent,
        CreditTiers = [.. CreditTiers],
        CompanyTimeZone = CompanyTimeZone,
        MailMonthlyReport = MailMonthlyReport,
    };
}

/// <summary>
/// An announced maintenance window, scheduled on /sla and shown on the public status page in advance. Its minutes are
/// excluded from the SLA (<see cref="SlaCalculator"/>). Titles and descriptions are public text in both languages;
/// a cancelled window is kept (audited, not deleted) and no longer excluded or shown.
/// </summary>
public sealed class MaintenanceWindow
{
    public Guid Id { get; set; }

    public DateTime StartUtc { get; set; }

    public DateTime EndUtc { get; set; }

    public string TitleEn { get; set; } = "";

    public string TitleJa { get; set; } = "";

    public string DescriptionEn { get; set; } = "";

    public string DescriptionJa { get; set; } = "";

    /// <summary>Comma-separated <c>Kuroco.Core.Incidents.StatusComponents</c> codes affected; empty means every component.</summary>
    public string Components { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? CancelledAtUtc { get; set; }

    public IReadOnlyList<string> ComponentList =>
        Components.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool IsCancelled => CancelledAtUtc is not null;

    /// <summary>The public title in <paramref name="culture"/> (Japanese for ja, English otherwise; falls back to the other).</summary>
    public string TitleIn(CultureInfo culture) => Pick(culture, TitleEn, TitleJa);

    public string DescriptionIn(CultureInfo culture) => Pick(culture, DescriptionEn, DescriptionJa);

    public SlaMaintenanceWindow ToSlaWindow() =>
        new(new DateTimeOffset(DateTime.SpecifyKind(StartUtc, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(EndUtc, DateTimeKind.Utc)));

    private static string Pick(CultureInfo culture, string en, string ja)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var japanese = culture.TwoLetterISOLanguageName == "ja";
        var first = japanese ? ja : en;
        return string.IsNullOrWhiteSpace(first) ? (japanese ? en : ja) : first;
    }
}

/// <summary>What an operator enters to schedule or change a maintenance window (validated by a FluentValidation validator).</summary>
public sealed record MaintenanceWindowRequest(
    DateTime StartUtc,
    DateTime EndUtc,
    string TitleEn,
    string TitleJa,
    string DescriptionEn,
    string DescriptionJa,
    IReadOnlyList<string> Components);

/// <summary>One day's availability in the company's zone (the status page's 90-day bars), by the same minute rule as the months.</summary>
public sealed record SlaDay(DateOnly Date, int CountedMinutes, int DownMinutes, int MaintenanceMinutes, decimal AvailabilityPercent);

/// <summary>
/// The SLA: availability per calendar month in the company's zone from the monitoring store's liveness minutes
/// (<see cref="SlaCalculator"/>), announced maintenance windows, and the settings. Reading is for Operators and
/// Administrators (and, through the public status page, for anyone: months, days and upcoming maintenance carry no
/// internal detail). Settings are Administrators only; maintenance windows are scheduled by Operators and
/// Administrators. Every change is audited; refusals change nothing.
/// </summary>
public interface ISlaService
{
    Task<SlaSettings> GetSettingsAsync(CancellationToken cancellationToken = default);

    Task<Result> SaveSettingsAsync(SlaSettings settings, CancellationToken cancellationToken = default);

    /// <summary>One calendar month (company zone), month to date when it is the current month.</summary>
    Task<SlaMonth> GetMonthAsync(int year, int month, CancellationToken cancellationToken = default);

    /// <summary>The current month and the <paramref name="count"/> − 1 months before it, newest first.</summary>
    Task<IReadOnlyList<SlaMonth>> GetMonthsAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="days"/> days (company zone, today included), oldest first.</summary>
    Task<IReadOnlyList<SlaDay>> GetDaysAsync(int days, CancellationToken cancellationToken = default);

    /// <summary>Every day of one calendar month (company zone), oldest first: the report's daily table.</summary>
    Task<IReadOnlyList<SlaDay>> GetMonthDaysAsync(int year, int month, CancellationToken cancellationToken = default);

    /// <summary>Windows that are not cancelled and overlap [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), by start.</summary>
    Task<IReadOnlyList<MaintenanceWindow>> ListMaintenanceAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default);

    Task<Result<Guid>> ScheduleMaintenanceAsync(MaintenanceWindowRequest request, CancellationToken cancellationToken = default);

    Task<Result> UpdateMaintenanceAsync(Guid id, MaintenanceWindowRequest request, CancellationToken cancellationToken = default);

    Task<Result> CancelMaintenanceAsync(Guid id, CancellationToken cancellationToken = default);
}

/// <summary>
/// The monthly SLA report as a PDF in a given language and zone (the console's download and the monthly job's attachment):
/// the month's figures, its maintenance windows, the daily table and the month's incidents.
/// </summary>
public interface ISlaReportPdf
{
    /// <param name="year">The year of the month (company zone).</param>
    /// <param name="month">The month, 1 to 12.</param>
    /// <param name="culture">The reader's language (Japanese for ja, English otherwise).</param>
    /// <param name="zone">The reader's time zone: times in the report are shown in it.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    Task<byte[]> RenderAsync(int year, int month, CultureInfo culture, TimeZoneInfo zone, CancellationToken cancellationToken = default);
}
