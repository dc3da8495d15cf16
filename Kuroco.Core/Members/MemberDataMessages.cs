using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Members;

/// <summary>
/// Localized messages of member import, export and personal-data requests (Resources/MemberDataMessages.resx and
/// .ja.resx), read in the current UI culture. Report lines keep codes (<see cref="MemberImportIssue"/>) and are put into
/// words here when shown or downloaded, so a report reads in the language of whoever reads it.
/// </summary>
public static class MemberDataMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.MemberDataMessages", typeof(MemberDataMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    /// <summary>One reason of a report line in words.</summary>
    public static string Describe(MemberImportIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return issue.Problem switch
        {
            MemberImportProblem.FieldRule => issue.Message ?? Get("Import.Problem.FieldRule"),
            MemberImportProblem.DuplicateInFile or MemberImportProblem.TooLong =>
                Format("Import.Problem." + issue.Problem, issue.Column ?? "", issue.Number),
            _ => Format("Import.Problem." + issue.Problem, issue.Column ?? "", issue.Value ?? ""),
        };
    }

    /// <summary>All reasons of a report line, joined.</summary>
    public static string Describe(IEnumerable<MemberImportIssue> issues) => string.Join(" ", (issues ?? []).Select(Describe));

    public static string Outcome(MemberImportOutcome outcome) => Get("Import.Outcome." + outcome);
}
