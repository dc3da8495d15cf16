using System.Globalization;
using System.Resources;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuroco.Core.Common;

namespace Kuroco.Core.Backups.Requests;

/// <summary>What staff enter when a customer asks for lost data.</summary>
public sealed record RestoreRequestIntake(
    string CustomerName,
    string ContactEmail,
    string ContactLanguage,
    RestoreScope Scope,
    DateTime LastKnownGoodUtc,
    string? Notes);

/// <summary>A quote: the fee (JPY, tax included) and the promised completion time (UTC).</summary>
public sealed record RestoreQuoteInput(int FeeJpy, DateTime PromisedAtUtc);

/// <summary>A row of the list on /restore-requests.</summary>
public sealed record RestoreRequestSummary(
    Guid Id,
    string Reference,
    string CustomerName,
    string ContactEmail,
    RestoreRequestState State,
    RestoreRequestWork Work,
    DateTime ReceivedAtUtc,
    int? FeeJpy);

/// <summary>A live record offered by the intake's autocomplete: the target key and what staff read.</summary>
public sealed record RestoreTargetOption(RestoreTargetKind Kind, string Key, string Label);

/// <summary>Filters of the list: state and year (null = any).</summary>
public sealed record RestoreRequestFilter(RestoreRequestState? State, int? Year);

/// <summary>The monthly report: requests received in the month, fees of those approved and applied, average turnaround.</summary>
public sealed record RestoreRequestMonthReport(
    int Year,
    int Month,
    int Received,
    int Approved,
    int Applied,
    long ApprovedFeesJpy,
    long AppliedFeesJpy,
    TimeSpan? AverageTurnaround);

/// <summary>What the anonymous approval page shows: the quote only (no scope, no notes).</summary>
public sealed record RestoreApprovalView(string Reference, string CustomerName, int FeeJpy, DateTime PromisedAtUtc, string ContactLanguage);

/// <summary>Why an approval link shows no quote (the page says the same thing for unknown, used and expired links).</summary>
public enum RestoreApprovalLinkState
{
    Usable,
    Unusable,
}

/// <summary>Settings of the restore-request workflow (one row, editable by Administrators).</summary>
public sealed class RestoreRequestSettings
{
    public const int DefaultFeeJpy = 88_000;
    public const int DefaultApprovalLinkDays = 7;
    public const int MinApprovalLinkDays = 1;
    public const int MaxApprovalLinkDays = 60;

    public int Id { get; set; } = 1;
    public int FeeJpy { get; set; } = DefaultFeeJpy;
    public int ApprovalLinkDays { get; set; } = DefaultApprovalLinkDays;
}

/// <summary>
/// The restore-request workflow (see <see cref="RestoreRequest"/> for the states). Every change is audited, and every change by
/// staff is refused (<see cref="ErrorKind.Forbidden"/>) unless the current user is SupportStaff or an Administrator; the
/// approval link is anonymous.
/// </summary>
public interface IRestoreRequestService
{
    Task<Result<RestoreRequest>> CreateAsync(RestoreRequestIntake intake, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RestoreRequestSummary>> ListAsync(RestoreRequestFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The request with its timeline (oldest first), or null.</summary>
    Task<RestoreRequest?> FindAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// Quotes (or re-quotes) and mails the quote with a new single-use approval link to the contact. The link is under
    /// RestoreRequests:LinkBaseUrl when configured, else under <paramref name="consoleBaseUri"/> (the address staff use).
    /// </summary>
    Task<Result> QuoteAsync(string reference, RestoreQuoteInput quote, Uri consoleBaseUri, CancellationToken cancellationToken = default);

    Task<Result> ApproveByPhoneAsync(string reference, string note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes an open request as cancelled: the customer withdrew it, or staff cancel it ("Cancel request" on the page).
    /// Audited (restore-request.cancelled).
    /// </summary>
    Task<Result> WithdrawAsync(string reference, string? note, CancellationToken cancellationToken = default);

    Task<Result> DeclineAsync(string reference, string? note, CancellationToken cancellationToken = default);

    /// <summary>The quote behind an approval link, or null when the link is unknown, used or expired.</summary>
    Task<RestoreApprovalView?> FindApprovalAsync(string? token, CancellationToken cancellationToken = default);

    /// <summary>Approves through the link: single use (of two posts, one wins); NotFound when unknown, used or expired.</summary>
    Task<Result<RestoreApprovalView>> ApproveByLinkAsync(string? token, CancellationToken cancellationToken = default);

    /// <summary>Queues the extraction job for an approved request (the generation must exist).</summary>
    Task<Result> StartExtractionAsync(string reference, string generationId, CancellationToken cancellationToken = default);

    /// <summary>Queues the apply job with a resolution for every conflict of the preview.</summary>
    Task<Result> StartApplyAsync(string reference, IReadOnlyDictionary<string, ConflictResolution> resolutions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Live records of a kind whose name, email, title or key contains <paramref name="text"/> (at most 20), for the
    /// intake's autocomplete. Records deleted since are entered by id (or a member's email) instead.
    /// </summary>
    Task<IReadOnlyList<RestoreTargetOption>> SearchTargetsAsync(RestoreTargetKind kind, string? text, CancellationToken cancellationToken = default);

    Task<RestoreRequestMonthReport> GetMonthReportAsync(int year, int month, TimeZoneInfo zone, CancellationToken cancellationToken = default);

    Task<RestoreRequestSettings> GetSettingsAsync(CancellationToken cancellationToken = default);

    /// <summary>Administrators only (checked here and on the page); audited.</summary>
    Task<Result> SaveSettingsAsync(RestoreRequestSettings settings, CancellationToken cancellationToken = default);
}

/// <summary>JSON of scopes, previews, resolutions and summaries as stored on a request (enums as text).</summary>
public static class RestoreScopeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static RestoreScope Read(string json) =>
        JsonSerializer.Deserialize<RestoreScope>(json, Options) ?? new RestoreScope([]);

    public static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);
}

/// <summary>Fees as the mails and pages show them: "¥88,000" in Japanese, "JPY 88,000" in English.</summary>
public static class RestoreFees
{
    public static string Format(long feeJpy, string language) =>
        language == "ja"
            ? "¥" + feeJpy.ToString("#,0", CultureInfo.InvariantCulture)
            : "JPY " + feeJpy.ToString("#,0", CultureInfo.InvariantCulture);
}

/// <summary>Localized messages of the restore-request workflow (Resources/RestoreRequestMessages.resx and .ja.resx).</summary>
public static class RestoreRequestMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.RestoreRequestMessages", typeof(RestoreRequestMessages).Assembly);

    public static string Get(string key) => Get(key, CultureInfo.CurrentUICulture);

    public static string Get(string key, CultureInfo culture) => Resources.GetString(key, culture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
