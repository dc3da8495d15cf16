using System.Globalization;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Localization;

/// <summary>Configuration "Kuroco": console-wide UI defaults.</summary>
public sealed class KurocoUiOptions
{
    public const string SectionName = "Kuroco";

    /// <summary>Time zone for users who have not chosen one.</summary>
    public string DefaultTimeZone { get; set; } = StaffTimeZones.Default;
}

/// <summary>Shows UTC times in the signed-in user's time zone (their setting, else the default, Asia/Tokyo).</summary>
public sealed class UserTime(AuthenticationStateProvider authentication, IOptions<KurocoUiOptions> options)
{
    private TimeZoneInfo? zone;

    public async Task<TimeZoneInfo> GetZoneAsync()
    {
        if (zone is not null)
        {
            return zone;
        }
        string? id = null;
        try
        {
            var state = await authentication.GetAuthenticationStateAsync();
            id = state.User.FindFirst(StaffClaims.TimeZone)?.Value;
        }
        catch (InvalidOperationException)
        {
            // Outside a component render there is no authentication state: use the default.
        }
        zone = StaffTimeZones.Find(StaffTimeZones.IsValid(id) ? id : options.Value.DefaultTimeZone);
        return zone;
    }

    public async Task<string> FormatAsync(DateTime? utc, string format = "yyyy-MM-dd HH:mm:ss")
    {
        if (utc is null)
        {
            return "—";
        }
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc), await GetZoneAsync());
        return local.ToString(format, CultureInfo.CurrentCulture);
    }

    /// <summary>Converts a wall-clock time the user entered in their zone to UTC.</summary>
    public async Task<DateTime> ToUtcAsync(DateTime local)
    {
        var zone = await GetZoneAsync();
        var wallClock = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A time skipped by a daylight-saving jump does not exist: take the first valid time after it.
        while (zone.IsInvalidTime(wallClock))
        {
            wallClock = wallClock.AddMinutes(30);
        }
        return TimeZoneInfo.ConvertTimeToUtc(wallClock, zone);
    }
}
