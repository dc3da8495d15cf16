namespace Kuroco.Core.Staff;

/// <summary>Time zones staff can choose; times are stored in UTC and shown in the user's zone.</summary>
public static class StaffTimeZones
{
    public const string Default = "Asia/Tokyo";
    public const int IdMaxLength = 64;

    public static bool IsValid(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= IdMaxLength && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public static TimeZoneInfo Find(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : TimeZoneInfo.FindSystemTimeZoneById(Default);

    public static DateTime ToLocal(DateTime utc, string? zoneId) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Find(zoneId));

    /// <summary>The zones offered in the profile and staff screens (IANA ids).</summary>
    public static IReadOnlyList<string> Common { get; } =
    [
        "Asia/Tokyo", "UTC", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Kolkata",
        "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
        "America/Los_Angeles", "Australia/Sydney", "Pacific/Auckland",
    ];
}
