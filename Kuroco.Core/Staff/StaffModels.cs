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
    DateTime CreatedAtUtc);

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
}

/// <summary>The outcome of a staff operation: success, or localized error messages and nothing changed.</summary>
public sealed record StaffResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    public static StaffResult Success { get; } = new(true, []);
    public static StaffResult Fail(params string[] errors) => new(false, errors);
}

/// <summary>A created account and its one-time password, shown once to the Administrator.</summary>
public sealed record StaffCreated(StaffResult Result, string? UserId, string? OneTimePassword);

/// <summary>Staff management (Administrators). Every change is audited; the last Administrator cannot be removed.</summary>
public interface IStaffService
{
    Task<StaffPage> ListAsync(StaffQuery query, CancellationToken cancellationToken = default);
    Task<StaffSummary?> GetAsync(string id, CancellationToken cancellationToken = default);
    Task<StaffCreated> CreateAsync(CreateStaffRequest request, CancellationToken cancellationToken = default);
    Task<StaffResult> UpdateAsync(string id, UpdateStaffRequest request, CancellationToken cancellationToken = default);
    Task<StaffResult> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken = default);
    Task<StaffResult> UnlockAsync(string id, CancellationToken cancellationToken = default);
    Task<StaffResult> ForcePasswordChangeAsync(string id, CancellationToken cancellationToken = default);
    Task<StaffResult> UpdateProfileAsync(string id, UpdateProfileRequest request, CancellationToken cancellationToken = default);

    /// <summary>Ends every session of the account, open circuits included, within the session check interval (a new security stamp).</summary>
    Task<StaffResult> SignOutEverywhereAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>Looks up staff for notifications.</summary>
public interface IStaffDirectory
{
    Task<IReadOnlyList<(string Email, string DisplayName)>> GetEnabledInRoleAsync(string role, CancellationToken cancellationToken = default);
}
