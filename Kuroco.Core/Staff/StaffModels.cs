using Kuroco.Core.Common;

namespace Kuroco.Core.Staff;

public sealed record StaffSummary(
    string Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    bool IsEnabled,
    bool IsLockedOut,
    bool MustChangePassword,
    string TimeZoneId,
    DateTime? LastSignInUtc,
    DateTime CreatedAtUtc,
    string? Language = null);

public sealed record StaffQuery(string? Search = null, int Page = 0, int PageSize = 25)
{
    public const int MaxPageSize = 100;
}

public sealed record StaffPage(IReadOnlyList<StaffSummary> Items, int TotalCount);

public sealed class CreateStaffRequest
{
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public IList<string> Roles { get; set; } = [];
    public string TimeZoneId { get; set; } = StaffTimeZones.Default;
}

public sealed class UpdateStaffRequest
{
    public string DisplayName { get; set; } = "";
    public IList<string> Roles { get; set; } = [];
    public string TimeZoneId { get; set; } = StaffTimeZones.Default;
}

public sealed class UpdateProfileRequest
{
    public string DisplayName { get; set; } = "";
    public string TimeZoneId { get; set; } = StaffTimeZones.Default;

    /// <summary>The console and mail language (<see cref="StaffLanguages"/>); null keeps the account's current one.</summary>
    public string? Language { get; set; }
}

/// <summary>A created account and its one-time password, shown once to the Administrator.</summary>
public sealed record CreatedStaff(string UserId, string OneTimePassword)
{
    /// <summary>Never the password: records print every property, and this one may reach a log.</summary>
    public override string ToString() => $"CreatedStaff {{ UserId = {UserId} }}";
}

/// <summary>
/// Staff management (Administrators). Every change is audited; the last Administrator cannot be removed. Failures:
/// <see cref="ErrorKind.Validation"/> (by input name), <see cref="ErrorKind.NotFound"/>, <see cref="ErrorKind.Conflict"/>
/// (the e-mail is taken, the last Administrator), <see cref="ErrorKind.Forbidden"/> (disabling oneself).
/// </summary>
public interface IStaffService
{
    Task<StaffPage> ListAsync(StaffQuery query, CancellationToken cancellationToken = default);
    Task<StaffSummary?> GetAsync(string id, CancellationToken cancellationToken = default);
    Task<Result<CreatedStaff>> CreateAsync(CreateStaffRequest request, CancellationToken cancellationToken = default);
    Task<Result> UpdateAsync(string id, UpdateStaffRequest request, CancellationToken cancellationToken = default);
    Task<Result> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken = default);
    Task<Result> UnlockAsync(string id, CancellationToken cancellationToken = default);
    Task<Result> ForcePasswordChangeAsync(string id, CancellationToken cancellationToken = default);
    Task<Result> UpdateProfileAsync(string id, UpdateProfileRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the language a signed-in staff member chose with the language switch (audited as a profile change when it
    /// changes). <see cref="ErrorKind.Validation"/> for a language the console does not offer.
    /// </summary>
    Task<Result> SetLanguageAsync(string id, string language, CancellationToken cancellationToken = default);

    /// <summary>Ends every session of the account, open circuits included, within the session check interval (a new security stamp).</summary>
    Task<Result> SignOutEverywhereAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>Looks up staff for notifications.</summary>
public interface IStaffDirectory
{
    Task<IReadOnlyList<(string Email, string DisplayName)>> GetEnabledInRoleAsync(string role, CancellationToken cancellationToken = default);

    /// <summary>The enabled accounts of a role with the language and time zone a mail to each is written in.</summary>
    Task<IReadOnlyList<StaffRecipient>> GetRecipientsInRoleAsync(string role, CancellationToken cancellationToken = default);
}

/// <summary>A staff member as a mail addresses them: in their language (<see cref="StaffLanguages"/>), times in their zone.</summary>
public sealed record StaffRecipient(string Email, string DisplayName, string? Language, string TimeZoneId);
