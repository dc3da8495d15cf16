using Kuroco.Core.Common;
using Kuroco.Core.Content;

namespace Kuroco.Core.Members;

/// <summary>The first rows of an uploaded file read in one encoding, with the suggested mapping of its columns.</summary>
public sealed record MemberImportPreview(
    CsvEncoding Encoding,
    IReadOnlyList<string> Headers,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<MemberImportColumn> SuggestedColumns);

/// <summary>
/// CSV import of members: upload, preview in an encoding, dry run and apply (both as background jobs with progress in
/// the <see cref="MemberImport"/> row), discard. Each step is audited; nothing is written to members before the apply.
/// </summary>
public interface IMemberImportService
{
    /// <summary>Largest file accepted (Kuroco:Members:ImportMaxBytes).</summary>
    long MaxUploadBytes { get; }

    /// <summary>Whether invitations can be mailed (an <see cref="IMemberAccountActions"/> is registered).</summary>
    bool CanSendInvitations { get; }

    /// <summary>Stores the file under a generated name, detects its encoding and suggests a mapping. TooLarge past the limit, Validation for an empty or unreadable file.</summary>
    Task<Result<MemberImport>> UploadAsync(Stream content, string fileName, CancellationToken cancellationToken = default);

    Task<MemberImport?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The newest imports first.</summary>
    Task<IReadOnlyList<MemberImport>> RecentAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>The header and the first <see cref="MemberImport.PreviewRows"/> rows read in <paramref name="encoding"/>.</summary>
    Task<Result<MemberImportPreview>> PreviewAsync(Guid id, CsvEncoding encoding, CancellationToken cancellationToken = default);

    /// <summary>The custom profile fields a column can fill.</summary>
    Task<IReadOnlyList<FieldDefinition>> ProfileFieldsAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves the settings (and remembers the header mapping) and queues the dry run.</summary>
    Task<Result<MemberImport>> StartDryRunAsync(Guid id, MemberImportSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Queues the apply of a checked import, or resumes one that failed or stalled (it continues after its last committed batch).</summary>
    Task<Result<MemberImport>> StartApplyAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Gives up an import that is not being applied: its file and report are deleted.</summary>
    Task<Result> DiscardAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The dry run's report, row by row (empty when there is none).</summary>
    IAsyncEnumerable<MemberImportRowResult> ReadReportAsync(Guid id, CancellationToken cancellationToken = default);
}

/// <summary>Checks the settings of a dry run against the file's columns and the custom fields.</summary>
public static class MemberImportSettingsRules
{
    public static IReadOnlyList<FieldError> Validate(
        MemberImportSettings settings, int columnCount, IReadOnlyList<FieldDefinition> profileFields, bool canSendInvitations)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(profileFields);
        var errors = new List<FieldError>();
        if (!Enum.IsDefined(settings.Encoding))
        {
            errors.Add(new FieldError(nameof(settings.Encoding), MemberDataMessages.Get("Import.Settings.Encoding")));
        }
        if (!Enum.IsDefined(settings.Existing))
        {
            errors.Add(new FieldError(nameof(settings.Existing), MemberDataMessages.Get("Import.Settings.Existing")));
        }
        if (settings.GroupDelimiter is not { Length: 1 } delimiter || delimiter[0] is ',' or '"' or '\r' or '\n' || char.IsWhiteSpace(delimiter[0]))
        {
            errors.Add(new FieldError(nameof(settings.GroupDelimiter), MemberDataMessages.Get("Import.Settings.Delimiter")));
        }
        if (settings.SendInvitations && !canSendInvitations)
        {
            errors.Add(new FieldError(nameof(settings.SendInvitations), MemberDataMessages.Get("Import.Settings.NoInvitations")));
        }
        var mapped = settings.Columns.Where(c => c.Target != MemberImportTarget.Ignore).ToList();
        if (mapped.Count(c => c.Target == MemberImportTarget.Email) != 1)
        {
            errors.Add(new FieldError(nameof(settings.Columns), MemberDataMessages.Get("Import.Settings.EmailColumn")));
        }
        foreach (var column in settings.Columns)
        {
            if (column.Index < 0 || column.Index >= columnCount || settings.Columns.Count(c => c.Index == column.Index) > 1)
            {
                errors.Add(new FieldError(nameof(settings.Columns), MemberDataMessages.Get("Import.Settings.ColumnIndex")));
                break;
            }
        }
        foreach (var column in mapped.Where(c => c.Target == MemberImportTarget.Profile))
        {
            if (!profileFields.Any(f => !f.IsArchived && f.Key == column.FieldKey))
            {
                errors.Add(new FieldError(nameof(settings.Columns), MemberDataMessages.Format("Import.Settings.UnknownField", column.FieldKey ?? "")));
            }
        }
        foreach (var twice in mapped.Where(c => c.Target != MemberImportTarget.Email)
                     .GroupBy(c => c.Target == MemberImportTarget.Profile ? "profile:" + c.FieldKey : c.Target.ToString(), StringComparer.Ordinal)
                     .Where(g => g.Count() > 1))
        {
            errors.Add(new FieldError(nameof(settings.Columns), MemberDataMessages.Format("Import.Settings.Twice", string.Join(", ", twice.Select(c => c.Header)))));
        }
        return errors;
    }
}
