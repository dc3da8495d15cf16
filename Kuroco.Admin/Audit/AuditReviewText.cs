using System.Globalization;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Admin.Localization;
using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Audit;

/// <summary>
/// A review's words in the viewer's language, shared by the review page and its PDF: the name of a finding kind, a
/// finding's sentence (built from its stored, language-neutral subject, counts and times), states and decisions.
/// </summary>
internal sealed class AuditReviewText(IStringLocalizer<AuditReviewResource> l, IStringLocalizer<AuditResource> audit, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    public string this[string key] => l[key];

    public string Format(string key, params object[] args) => l[key, args];

    public string Time(DateTime? utc, string format = "yyyy-MM-dd HH:mm") => utc is { } value
        ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(value, DateTimeKind.Utc), zone).ToString(format, CultureInfo.CurrentCulture)
        : "—";

    public string KindName(AuditFindingKind kind) => l["Kind." + kind];

    public string Action(string code) => audit[AuditDisplay.ActionName(code)];

    public string Describe(AuditFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var key = finding.Kind == AuditFindingKind.BulkDeletion && finding.Subject.Length > 0 ? "Finding.BulkDeletionBurst" : "Finding." + finding.Kind;
        var action = finding.Detail.Length > 0 && finding.Kind != AuditFindingKind.NewSignInAddress
            ? Action(finding.Detail)
            : string.Join(", ", finding.ActionList.Take(3).Select(Action));
        return l[key, finding.Subject, finding.Detail, finding.EntryCount.ToString("N0", CultureInfo.CurrentCulture),
            Time(finding.FirstAtUtc), Time(finding.LastAtUtc), action];
    }

    public string Status(AuditReviewStatus status) => l["Status." + status];

    public string Decision(AuditFindingDecision decision) => l["Decision." + decision];

    public string Outcome(AuditOutcome outcome) => audit[AuditDisplay.OutcomeName(outcome)];

    /// <summary>The audit log filtered to a finding's entries: its action (when it has one), its subject as text, its days in the viewer's zone.</summary>
    public string AuditLink(AuditFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var from = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(finding.FirstAtUtc, zone));
        var to = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(finding.LastAtUtc, zone));
        var actions = finding.ActionList;
        var filter = new AuditFilter
        {
            Text = finding.Subject.Length > 0 ? finding.Subject : null,
            Actions = string.Join(",", actions.Order(StringComparer.Ordinal)),
            From = from,
            To = to,
        };
        return "/audit" + filter.ToQueryString();
    }
}
