using System.Globalization;
using Kuroco.Core.Common;

namespace Kuroco.Core.Members;

/// <summary>
/// Which members a list or an export shows: a partial search over email, name and reading (folded like
/// <see cref="Member.SearchText"/>: NFKC, case, katakana/hiragana), a group, a status, a locked flag and ranges of the
/// sign-up and last sign-in times (UTC, the start included, the end excluded). Every part is optional.
/// </summary>
public sealed record MemberFilter
{
    public const int TextMaxLength = 200;

    public string? Text { get; init; }

    public Guid? GroupId { get; init; }

    public MemberStatus? Status { get; init; }

    /// <summary>True: only members locked out now; false: only members not locked out.</summary>
    public bool? Locked { get; init; }

    public DateTime? CreatedFromUtc { get; init; }

    public DateTime? CreatedToUtc { get; init; }

    public DateTime? LastSignInFromUtc { get; init; }

    public DateTime? LastSignInToUtc { get; init; }

    public static MemberFilter All { get; } = new();

    /// <summary>The search text as <see cref="Member.SearchText"/> holds it (empty when there is none).</summary>
    public string FoldedText => MemberText.Fold(Text);

    /// <summary>The messages for a filter that cannot be used (a search text too long, a range backwards); empty when it is fine.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (Text is { Length: > TextMaxLength })
        {
            errors.Add(new FieldError(nameof(Text), MemberDataMessages.Get("Export.TextTooLong")));
        }
        if (CreatedFromUtc > CreatedToUtc)
        {
            errors.Add(new FieldError(nameof(CreatedFromUtc), MemberDataMessages.Get("Export.Range")));
        }
        if (LastSignInFromUtc > LastSignInToUtc)
        {
            errors.Add(new FieldError(nameof(LastSignInFromUtc), MemberDataMessages.Get("Export.Range")));
        }
        return errors;
    }

    /// <summary>
    /// The filter for the audit log. The search text is personal data more often than not (a name, an address), and audit
    /// summaries are not encrypted, so only its length is recorded.
    /// </summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Text))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"search text of {Text.Trim().Length} characters"));
        }
        if (GroupId is { } group)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"group {group:D}"));
        }
        if (Status is { } status)
        {
            parts.Add("status " + status);
        }
        if (Locked is { } locked)
        {
            parts.Add(locked ? "locked" : "not locked");
        }
        AddRange(parts, "signed up", CreatedFromUtc, CreatedToUtc);
        AddRange(parts, "last signed in", LastSignInFromUtc, LastSignInToUtc);
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
/// Writes the members a <see cref="MemberFilter"/> selects, oldest sign-up first, as CSV (a header row, one column per
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
    Task<Result<int>> ExportAsync(MemberFilter filter, MemberExportFormat format, CsvEncoding encoding, Stream output, CancellationToken cancellationToken = default);
}

/// <summary>Who may answer personal-data requests (export everything about a member, erase a member).</summary>
public static class MemberDataPolicies
{
    /// <summary>The authorization policy: SupportStaff and Administrators.</summary>
    public const string PersonalDataRequests = "Members.PersonalDataRequests";

    public static IReadOnlyList<string> PersonalDataRoles { get; } = [Staff.StaffRoles.Administrator, Staff.StaffRoles.SupportStaff];
}
