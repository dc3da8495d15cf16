using Kuroco.Core.Common;
using Kuroco.Core.Monitoring;

namespace Kuroco.Core.Incidents;

/// <summary>
/// Incidents: open, walk the seven steps, classify, add notes. Operators and Administrators change them (others get
/// <see cref="ErrorKind.Forbidden"/>); every change is audited; a closed incident refuses changes. Moving to step ③
/// sends the status notice, a progress report sends a progress notice and step ⑦ the recovery notice, to the
/// subscribed contacts (<see cref="INoticeContactService"/>).
/// </summary>
public interface IIncidentService
{
    /// <summary>Incidents, newest first; <paramref name="open"/> filters open (true) or closed (false) ones.</summary>
    Task<IReadOnlyList<Incident>> ListAsync(bool? open, CancellationToken cancellationToken = default);

    /// <summary>One incident with its transitions, notes and notices.</summary>
    Task<Incident?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<Result<Guid>> CreateAsync(OpenIncidentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Moves the incident to <paramref name="target"/>, which must be the next step.</summary>
    Task<Result> AdvanceAsync(Guid id, IncidentStep target, CancellationToken cancellationToken = default);

    Task<Result> ClassifyAsync(Guid id, ClassifyIncidentRequest request, CancellationToken cancellationToken = default);

    Task<Result> AddNoteAsync(Guid id, AddIncidentNoteRequest request, CancellationToken cancellationToken = default);

    /// <summary>The three-hour rule's state of an incident now (with the configured interval).</summary>
    ProgressReportState ProgressState(Incident incident);

    /// <summary>Open incidents whose progress report is overdue (flagged by the overdue job), for every operator's screen.</summary>
    Task<IReadOnlyList<Incident>> ListOverdueAsync(CancellationToken cancellationToken = default);

    /// <summary>The monthly report for the last <paramref name="months"/> months (company zone), newest first.</summary>
    Task<IReadOnlyList<IncidentMonthRow>> MonthlyReportAsync(int months, CancellationToken cancellationToken = default);

    /// <summary>What the public status page may show: incidents detected since <paramref name="sinceUtc"/> or still open.</summary>
    Task<IReadOnlyList<IncidentPublicView>> ListPublicAsync(DateTime sinceUtc, CancellationToken cancellationToken = default);
}

/// <summary>The customer contacts that receive incident notices, and unsubscribing through a mail's link.</summary>
public interface INoticeContactService
{
    Task<IReadOnlyList<NoticeContact>> ListAsync(CancellationToken cancellationToken = default);

    Task<Result<Guid>> CreateAsync(NoticeContactRequest request, CancellationToken cancellationToken = default);

    Task<Result> UpdateAsync(Guid id, NoticeContactRequest request, CancellationToken cancellationToken = default);

    Task<Result> DeleteAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Unsubscribes the contact a mail's single-use token was issued to; a used or unknown token is refused.</summary>
    Task<Result> UnsubscribeAsync(string token, CancellationToken cancellationToken = default);
}

/// <summary>A public note: text and time only (no author).</summary>
public sealed record IncidentPublicNote(DateTime AtUtc, string Text, bool IsProgressReport);

/// <summary>
/// An incident as customers may see it (the public status page and notices): the public title and summary, the step,
/// severity, components, the times of the steps and the public notes — never staff names, hostnames, internal notes,
/// the internal title, the cause or the affected customers.
/// </summary>
public sealed record IncidentPublicView(
    Guid Id,
    string Title,
    string Summary,
    IncidentStep Step,
    AlertSeverity Severity,
    IReadOnlyList<string> Components,
    DateTime DetectedAtUtc,
    IReadOnlyDictionary<IncidentStep, DateTime> StepsReachedAtUtc,
    IReadOnlyList<IncidentPublicNote> Notes)
{
    public bool IsClosed => Step == IncidentStep.RecoveryAnnounced;

    /// <summary>The public title as <paramref name="culture"/> reads it (an alert-opened incident's title is stored as a key).</summary>
    public string TitleIn(System.Globalization.CultureInfo culture) => IncidentMessages.PublicTitleIn(culture, Title);

    public static IncidentPublicView From(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var reached = new Dictionary<IncidentStep, DateTime> { [IncidentStep.Detected] = incident.DetectedAtUtc };
        foreach (var transition in incident.Transitions)
        {
            reached[transition.Step] = transition.AtUtc;
        }
        return new(incident.Id, incident.PublicTitle, incident.PublicSummary, incident.Step, incident.Severity,
            incident.ComponentList, incident.DetectedAtUtc, reached,
            [.. incident.Notes.Where(n => n.IsPublic).OrderBy(n => n.AtUtc).Select(n => new IncidentPublicNote(n.AtUtc, n.Text, n.Kind == IncidentNoteKind.Progress))]);
    }
}
