using System.Globalization;
using System.Text;
using Kuroco.Core.Common;
using Kuroco.Core.Content;

namespace Kuroco.Core.Members;

/// <summary>What the import does (or would do, in a dry run) with one row.</summary>
public enum MemberImportOutcome
{
    Create = 0,
    Update = 1,
    Skip = 2,
    Refuse = 3,
}

/// <summary>Why a row is refused (or, for <see cref="EmailExists"/>, skipped).</summary>
public enum MemberImportProblem
{
    MissingEmail = 0,
    BadEmail = 1,
    DuplicateInFile = 2,
    UnknownGroup = 3,
    UnknownLanguage = 4,
    TooLong = 5,
    LineBreak = 6,

    /// <summary>The cell holds bytes the chosen encoding cannot read (try the other encoding).</summary>
    Undecodable = 7,

    /// <summary>A rule of a custom profile field (<see cref="FieldRules"/>); <see cref="MemberImportIssue.Message"/> says which.</summary>
    FieldRule = 8,

    /// <summary>Not an error: the email belongs to a member and existing members are skipped.</summary>
    EmailExists = 9,

    /// <summary>The email belongs to a member whose personal data was erased.</summary>
    ErasedMember = 10,
}

/// <summary>
/// One reason about one row. <see cref="Column"/> is the header of the column concerned, <see cref="Value"/> the value
/// that was refused (an unknown group's name), <see cref="Number"/> a limit or the row of the first occurrence, and
/// <see cref="Message"/> a custom field rule's own message. Shown through <see cref="MemberDataMessages.Describe"/>.
/// </summary>
public sealed record MemberImportIssue(MemberImportProblem Problem, string? Column = null, string? Value = null, int Number = 0, string? Message = null);

/// <summary>The report line of one row: its spreadsheet row number (the header is row 1), the outcome and the reasons.</summary>
public sealed record MemberImportRowResult(int Row, MemberImportOutcome Outcome, string Email, IReadOnlyList<MemberImportIssue> Issues);

/// <summary>A row read against the mapping: the values it sets (null = not given) and what is wrong with it.</summary>
public sealed class MemberImportCandidate
{
    public int Row { get; init; }

    public string Email { get; set; } = "";

    public string NormalizedEmail { get; set; } = "";

    public string? DisplayName { get; set; }

    public string? NameKana { get; set; }

    public string? Language { get; set; }

    public List<Guid> GroupIds { get; } = [];

    /// <summary>Custom field values in the stored string form (<see cref="ContentValues"/>), only those the row gives.</summary>
    public Dictionary<string, string> Profile { get; } = new(StringComparer.Ordinal);

    /// <summary>Problems whatever the outcome.</summary>
    public List<MemberImportIssue> Issues { get; } = [];

    /// <summary>Problems only when the row would create a member (a required custom field the row does not give).</summary>
    public List<MemberImportIssue> CreateIssues { get; } = [];
}

/// <summary>
/// The rules of a member import row (pure): reads cells against the chosen columns, the custom profile fields and the
/// groups, and decides the outcome once it is known whether the email exists.
/// </summary>
public sealed class MemberImportRowRules
{
    private readonly MemberImportSettings settings;
    private readonly Dictionary<string, FieldDefinition> fields;
    private readonly IReadOnlyList<FieldDefinition> requiredFields;
    private readonly Dictionary<string, Guid> groupsByName = new(StringComparer.Ordinal);

    public MemberImportRowRules(MemberImportSettings settings, IEnumerable<FieldDefinition> profileFields, IEnumerable<MemberGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(profileFields);
        ArgumentNullException.ThrowIfNull(groups);
        this.settings = settings;
        var active = profileFields.Where(f => !f.IsArchived && MemberProfileSchema.AllowedKinds.Contains(f.Kind)).ToList();
        fields = active.ToDictionary(f => f.Key, StringComparer.Ordinal);
        requiredFields = [.. active.Where(f => f.Required)];
        foreach (var group in groups.OrderBy(g => g.CreatedAtUtc))
        {
            foreach (var name in new[] { group.NameJa, group.NameEn })
            {
                var key = MemberText.Fold(name);
                if (key.Length > 0)
                {
                    groupsByName.TryAdd(key, group.Id);
                }
            }
        }
    }

    /// <summary>Reads one data row (<paramref name="row"/> is its spreadsheet row number).</summary>
    public MemberImportCandidate Read(int row, IReadOnlyList<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var candidate = new MemberImportCandidate { Row = row };
        var given = new HashSet<string>(StringComparer.Ordinal);
        var sawEmail = false;
        foreach (var column in settings.Columns)
        {
            if (column.Target == MemberImportTarget.Ignore)
            {
                continue;
            }
            var value = column.Index < cells.Count ? CsvCells.Restore(cells[column.Index].Trim()) : "";
            if (value.Contains('\uFFFD', StringComparison.Ordinal))
            {
                candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.Undecodable, column.Header));
                if (column.Target == MemberImportTarget.Email)
                {
                    sawEmail = true;
                }
                continue;
            }
            switch (column.Target)
            {
                case MemberImportTarget.Email:
                    sawEmail = true;
                    ReadEmail(candidate, value, column.Header);
                    break;
                case MemberImportTarget.DisplayName:
                    candidate.DisplayName = ReadText(candidate, value, column.Header, Member.DisplayNameMaxLength);
                    break;
                case MemberImportTarget.NameKana:
                    candidate.NameKana = ReadText(candidate, value, column.Header, Member.NameKanaMaxLength);
                    break;
                case MemberImportTarget.Language:
                    if (value.Length > 0)
                    {
                        candidate.Language = LanguageOf(value);
                        if (candidate.Language is null)
                        {
                            candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.UnknownLanguage, column.Header, Shorten(value)));
                        }
                    }
                    break;
                case MemberImportTarget.Groups:
                    ReadGroups(candidate, value, column.Header);
                    break;
                case MemberImportTarget.Profile when column.FieldKey is { } key && fields.TryGetValue(key, out var field):
                    if (value.Length > 0)
                    {
                        var stored = ToStoredForm(field, value);
                        foreach (var message in FieldRules.Validate(field, stored, field.DisplayLabel()))
                        {
                            candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.FieldRule, column.Header, Message: message));
                        }
                        candidate.Profile[key] = stored;
                        given.Add(key);
                    }
                    break;
            }
        }
        if (!sawEmail)
        {
            candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.MissingEmail));
        }
        foreach (var field in requiredFields.Where(f => !given.Contains(f.Key)))
        {
            foreach (var message in FieldRules.Validate(field, null, field.DisplayLabel()))
            {
                candidate.CreateIssues.Add(new MemberImportIssue(MemberImportProblem.FieldRule, field.Key, Message: message));
            }
        }
        return candidate;
    }

    /// <summary>
    /// The outcome of a row: refused when it has problems (or is a later copy of an email earlier in the file:
    /// <paramref name="firstRowOfEmail"/>), else updated or skipped when its email exists, else created.
    /// </summary>
    public static MemberImportRowResult Decide(MemberImportCandidate candidate, int firstRowOfEmail, bool exists, MemberImportExisting existing)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var issues = new List<MemberImportIssue>(candidate.Issues);
        if (issues.Count == 0 && firstRowOfEmail != candidate.Row && candidate.NormalizedEmail.Length > 0)
        {
            issues.Add(new MemberImportIssue(MemberImportProblem.DuplicateInFile, Number: firstRowOfEmail));
        }
        if (issues.Count > 0)
        {
            return new MemberImportRowResult(candidate.Row, MemberImportOutcome.Refuse, candidate.Email, issues);
        }
        if (exists)
        {
            return existing == MemberImportExisting.Update
                ? new MemberImportRowResult(candidate.Row, MemberImportOutcome.Update, candidate.Email, [])
                : new MemberImportRowResult(candidate.Row, MemberImportOutcome.Skip, candidate.Email, [new MemberImportIssue(MemberImportProblem.EmailExists)]);
        }
        return candidate.CreateIssues.Count > 0
            ? new MemberImportRowResult(candidate.Row, MemberImportOutcome.Refuse, candidate.Email, [.. candidate.CreateIssues])
            : new MemberImportRowResult(candidate.Row, MemberImportOutcome.Create, candidate.Email, []);
    }

    /// <summary>"ja"/"en" for the ways a spreadsheet names the two languages; null for anything else.</summary>
    public static string? LanguageOf(string value) => MemberText.Fold(value) switch
    {
        "ja" or "jp" or "ja-jp" or "japanese" or "日本語" or "にほんご" => MemberLanguages.Japanese,
        "en" or "en-us" or "en-gb" or "english" or "英語" or "えいご" => MemberLanguages.English,
        _ => null,
    };

    /// <summary>A cell in the stored string form of <paramref name="field"/>'s kind (yes/no words, lists, dates); unreadable values pass through for the rules to refuse.</summary>
    public string ToStoredForm(FieldDefinition field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        switch (field.Kind)
        {
            case FieldKind.Boolean:
                return MemberText.Fold(value) switch
                {
                    "true" or "1" or "yes" or "y" or "on" or "はい" or "○" or "✓" => "true",
                    "false" or "0" or "no" or "n" or "off" or "いいえ" or "×" => "false",
                    _ => value,
                };
            case FieldKind.MultipleChoice:
                return ContentValues.JoinList(value.Split(settings.GroupDelimiter, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            case FieldKind.DateTime:
                return DateTime.TryParse(value.Normalize(NormalizationForm.FormKC), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant)
                    ? instant.ToString("O", CultureInfo.InvariantCulture)
                    : value;
            case FieldKind.Number:
                return value.Normalize(NormalizationForm.FormKC).Replace(",", "", StringComparison.Ordinal);
            default:
                return value;
        }
    }

    private static void ReadEmail(MemberImportCandidate candidate, string value, string header)
    {
        if (value.Length == 0)
        {
            candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.MissingEmail, header));
            return;
        }
        candidate.Email = value.Length <= Member.EmailMaxLength ? value : Shorten(value);
        if (value.Length > Member.EmailMaxLength || !EmailRules.IsValid(value))
        {
            candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.BadEmail, header, Shorten(value)));
            return;
        }
        candidate.NormalizedEmail = MemberText.NormalizeEmail(value);
    }

    private static string? ReadText(MemberImportCandidate candidate, string value, string header, int maxLength)
    {
        if (value.Length == 0)
        {
            return null;
        }
        if (value.Any(char.IsControl))
        {
            candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.LineBreak, header));
            return null;
        }
        if (value.Length > maxLength)
        {
            candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.TooLong, header, Number: maxLength));
            return null;
        }
        return value;
    }

    private void ReadGroups(MemberImportCandidate candidate, string value, string header)
    {
        foreach (var name in value.Split(settings.GroupDelimiter, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (groupsByName.TryGetValue(MemberText.Fold(name), out var id))
            {
                if (!candidate.GroupIds.Contains(id))
                {
                    candidate.GroupIds.Add(id);
                }
            }
            else
            {
                candidate.Issues.Add(new MemberImportIssue(MemberImportProblem.UnknownGroup, header, Shorten(name)));
            }
        }
    }

    /// <summary>A refused value as the report shows it: at most 100 characters.</summary>
    private static string Shorten(string value) => value.Length <= 100 ? value : value[..99] + "…";
}
