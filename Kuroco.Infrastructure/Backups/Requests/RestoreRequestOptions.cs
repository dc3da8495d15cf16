using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Staff;

namespace Kuroco.Infrastructure.Backups.Requests;

/// <summary>Configuration "RestoreRequests".</summary>
public sealed class RestoreRequestOptions
{
    public const string SectionName = "RestoreRequests";

    /// <summary>The fee quoted until an Administrator stores one on /restore-requests.</summary>
    public int DefaultFeeJpy { get; set; } = RestoreRequestSettings.DefaultFeeJpy;

    /// <summary>The company's zone: reference numbers count per year in it, and the monthly report's months are its months.</summary>
    public string TimeZone { get; set; } = StaffTimeZones.Default;

    /// <summary>The console's public address for the approval link in the quote mail; empty: the address staff use.</summary>
    public string? LinkBaseUrl { get; set; }

    public bool IsValid() =>
        DefaultFeeJpy is >= 0 and <= RestoreRequest.MaxFeeJpy
        && StaffTimeZones.IsValid(TimeZone)
        && (string.IsNullOrWhiteSpace(LinkBaseUrl)
            || (Uri.TryCreate(LinkBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query)));
}
