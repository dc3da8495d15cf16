using System.Globalization;
using Kuroco.Core.Security.SelfAssessment;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Security.SelfAssessment;

/// <summary>
/// The self-assessment in the viewer's language, for the page, the CSV and the PDF alike: item titles
/// (<c>item:{code}</c>), how the product addresses each (<c>how:{code}</c>) and the evidence sentences
/// (<c>evidence:{key}</c>), with UTC times shown in the viewer's zone.
/// </summary>
internal sealed class SelfAssessmentText(IStringLocalizer<SelfAssessmentResource> localizer, TimeZoneInfo zone)
{
    public string this[string key] => localizer[key];

    public string Format(string key, params object[] args) => localizer[key, args];

    public TimeZoneInfo Zone => zone;

    public string Title(string code) => Lookup("item:" + code) ?? code;

    public string How(string code) => Lookup("how:" + code) ?? "";

    public string Status(SelfAssessmentStatus status) => localizer[status.ToString()];

    public string Group(SelfAssessmentGroup group) => group == SelfAssessmentGroup.WebApplication
        ? localizer["Web application vulnerabilities (IPA \u201cHow to secure your web site\u201d)"]
        : localizer["Operational measures"];

    public string Check(SelfAssessmentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Live ? localizer["Live check"] : localizer["By design"];
    }

    public string Evidence(SelfAssessmentEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var template = Lookup("evidence:" + evidence.Key);
        var args = evidence.Arguments.Select(Argument).ToArray<object>();
        return template is null ? evidence.Key + " " + string.Join(", ", args) : string.Format(CultureInfo.CurrentCulture, template, args);
    }

    public string Evidence(SelfAssessmentItem item, string separator)
    {
        ArgumentNullException.ThrowIfNull(item);
        return string.Join(separator, item.Evidence.Select(Evidence));
    }

    public string Time(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An ISO-8601 UTC argument ("2026-12-07T01:00:00Z") in the viewer's zone; anything else as it is.</summary>
    private string Argument(string value) =>
        value.Length == 20 && value[^1] == 'Z' && DateTime.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            ? Time(utc)
            : value;

    private string? Lookup(string key)
    {
        var value = localizer[key];
        return value.ResourceNotFound ? null : value.Value;
    }
}
