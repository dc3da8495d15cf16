using System.Globalization;
using Kuroco.Core.Common;

namespace Kuroco.Core.Members;

/// <summary>
/// What an export adds to the member list's one filter, <see cref="MemberListFilter"/>: the checks of a filter that comes
/// from a query string, and its description for the audit log.
/// </summary>
public static class MemberExportFilters
{
    /// <summary>The messages for a filter that cannot be used (a search text too long, a range backwards); empty when it is fine.</summary>
    public static IReadOnlyList<FieldError> Validate(this MemberListFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var errors = new List<FieldError>();
        if (filter.Search is { Length: > MemberListFilter.SearchMaxLength })
        {
            errors.Add(new FieldError(nameof(filter.Search), MemberDataMessages.Get("Export.TextTooLong")));
        }
        if (filter.SignedUpFromUtc > filter.SignedUpToUtc)
        {
            errors.Add(new FieldError(nameof(filter.SignedUpFromUtc), MemberDataMessages.Get("Export.Range")));
        }
        if (filter.LastSignInFromUtc > filter.LastSignInToUtc)
        {
            errors.Add(new FieldError(nameof(filter.LastSignInFromUtc), MemberDataMessages.Get("Export.Range")));
        }
        return errors;
    }

    /// <summary>
    /// The filter for the audit log. The search text is personal data more often than not (a name, an address), and audit
    /// summaries are not encrypted, so only its length is recorded.
    /// </summary>
    public static string Describe(this MemberListFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"search text of {filter.Search.Trim().Length} characters"));
        }
        if (filter.GroupId is { } group)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"group {group:D}"));
        }
        if (filter.Status is { } status)
        {
            parts.Add("status " + status);
        }
        AddRange(parts, "signed up", filter.SignedUpFromUtc, filter.SignedUpToUtc);
        AddRange(parts, "last signed in", filter.LastSignInFromUtc, filter.LastSignInToUtc);
        return parts.Count == 0 ? "all members" : string.Join(", ", parts);
    }

    private static void AddRange(List<string> parts, string what, DateTime? from, DateTime? to)
    {
        if (from is null && to is null)
        {
            return;
        }
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {CsvCells.Utc(from)}–{CsvCells.Utc(to)}"));
    }
}

/// <summary>The formats of a member list export.</summary>
public enum MemberExportFormat
{
    Csv = 0,
    Json = 1,
}

/// <summary>
/// Writes the members a <see cref="MemberListFilter"/> selects, oldest sign-up first, as CSV (a header row, one column per
/// custom field, UTF-8 with a byte order mark or Shift_JIS, CSV-injection guarded) or as a JSON array, streamed: members
/// are read and written in chunks, so memory stays flat whatever the count. Each export is audited with who, the
/// filter, the format and the number of members written.
/// </summary>
public interface IMemberExportService
{
    /// <summary>
    /// Writes the export to <paramref name="output"/> and returns how many members it holds; Validation for a filter that
    /// cannot be used (nothing written then).
    /// </summary>
    Task<Result<int>> ExportAsync(MemberListFilter filter, MemberExportFormat format, CsvEncoding encoding, Stream output, CancellationToken cancellationToken = default);
}

/// <summary>Who may answer personal-data requests (export everything about a member, erase a member).</summary>
public static class MemberDataPolicies
{
    /// <summary>The authorization policy: SupportStaff and Administrators.</summary>
    public const string PersonalDataRequests = "Members.PersonalDataRequests";

    public static IReadOnlyList<string> PersonalDataRoles { get; } = [Staff.StaffRoles.Administrator, Staff.StaffRoles.SupportStaff];

    /// <summary>The authorization policy of erasure: Administrators only.</summary>
    public const string Erase = "Members.Erase";

    public static IReadOnlyList<string> EraseRoles { get; } = [Staff.StaffRoles.Administrator];
}
