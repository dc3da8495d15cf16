using Kuroco.Core.Monitoring;

namespace Kuroco.Core.Incidents;

/// <summary>
/// An incident, walked through the seed's seven steps (<see cref="IncidentStep"/>). Its public title and summary are
/// what customers read (notices, the status page); everything else — internal notes, who did what, the alert — is for
/// staff only. Changes go through <see cref="IncidentStateMachine"/> and the incident service, never by setting fields.
/// </summary>
public sealed class Incident
{
    public const int TitleMaxLength = 200;
    public const int SummaryMaxLength = 2000;
    public const int CustomersMaxLength = 2000;
    public const int ComponentsMaxLength = 200;
    public const int ActorMaxLength = 256;
    public const int AlertRuleMaxLength = 200;

    public Guid Id { get; set; }

    /// <summary>The staff-facing title (may name hosts or causes).</summary>
    public string Title { get; set; } = "";

    /// <summary>What customers read as the incident's title: no hostnames, no staff names.</summary>
    public string PublicTitle { get; set; } = "";

    /// <summary>What customers read as the incident's description.</summary>
    public string PublicSummary { get; set; } = "";

    public IncidentStep Step { get; set; } = IncidentStep.Detected;
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;
    public IncidentCause Cause { get; set; } = IncidentCause.Unknown;

    /// <summary>Comma-separated <see cref="StatusComponents"/> codes.</summary>
    public string Components { get; set; } = "";

    /// <summary>The affected customers, one per line (free text; staff only).</summary>
    public string AffectedCustomers { get; set; } = "";

    public DateTime DetectedAtUtc { get; set; }
    public string DetectedBy { get; set; } = "";

    /// <summary>The investigation's predicted recovery time (step ④), when one was given.</summary>
    public DateTime? PredictedRecoveryAtUtc { get; set; }

    /// <summary>When the prediction was recorded (the three-hour rule can start then).</summary>
    public DateTime? PredictionSetAtUtc { get; set; }

    /// <summary>The alert that opened the incident, if one did (deduplication and the link back).</summary>
    public Guid? AlertId { get; set; }

    public Guid? AlertRuleId { get; set; }

    public string? AlertRuleName { get; set; }

    /// <summary>The last public progress report (three-hour rule).</summary>
    public DateTime? LastProgressReportAtUtc { get; set; }

    /// <summary>The due time of the progress report that is overdue, while one is (set by the overdue job, cleared by a report).</summary>
    public DateTime? ProgressOverdueSinceUtc { get; set; }

    /// <summary>The start of the last overdue period the on-call list was mailed for (one mail per period).</summary>
    public DateTime? OverdueMailedForUtc { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    public List<IncidentTransition> Transitions { get; set; } = [];
    public List<IncidentNote> Notes { get; set; } = [];
    public List<IncidentNotice> Notices { get; set; } = [];

    public bool IsClosed => Step == IncidentStep.RecoveryAnnounced;

    public IReadOnlyList<string> ComponentList =>
        Components.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> CustomerList =>
        AffectedCustomers.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>When the incident reached <paramref name="step"/> (UTC), or null when it has not.</summary>
    public DateTime? ReachedAt(IncidentStep step) =>
        step == IncidentStep.Detected ? DetectedAtUtc : Transitions.FirstOrDefault(t => t.Step == step)?.AtUtc;
}

/// <summary>One step reached: who moved the incident there and when (UTC).</summary>
public sealed class IncidentTransition
{
    public Guid Id { get; set; }
    public Guid IncidentId { get; set; }
    public IncidentStep Step { get; set; }
    public DateTime AtUtc { get; set; }
    public string By { get; set; } = "";
}

/// <summary>Stored, so never renumber.</summary>
public enum IncidentNoteKind
{
    /// <summary>A note on the timeline (public or internal).</summary>
    Note = 0,

    /// <summary>A progress report: always public; resets the three-hour rule's clock and is sent to subscribed contacts.</summary>
    Progress = 1,

    /// <summary>Written by the system when an alert opened the incident (internal: the signal and its value).</summary>
    Alert = 2,
}

/// <summary>A note on the incident's timeline. Only public notes reach customers.</summary>
public sealed class IncidentNote
{
    public const int TextMaxLength = 4000;

    public Guid Id { get; set; }
    public Guid IncidentId { get; set; }
    public DateTime AtUtc { get; set; }
    public string By { get; set; } = "";
    public string Text { get; set; } = "";
    public bool IsPublic { get; set; }
    public IncidentNoteKind Kind { get; set; }

    /// <summary>For a progress report: it came after its due time (the monthly report counts these).</summary>
    public bool WasOverdue { get; set; }
}

/// <summary>Stored, so never renumber.</summary>
public enum IncidentNoticeKind
{
    /// <summary>Step ③: the first status notice.</summary>
    Status = 0,

    /// <summary>A progress report (the three-hour rule).</summary>
    Progress = 1,

    /// <summary>Step ⑦: the recovery notice.</summary>
    Recovery = 2,
}

/// <summary>A bulk notice sent to the subscribed contacts: which kind, when, by whom and to how many.</summary>
public sealed class IncidentNotice
{
    public Guid Id { get; set; }
    public Guid IncidentId { get; set; }
    public IncidentNoticeKind Kind { get; set; }
    public DateTime SentAtUtc { get; set; }
    public string By { get; set; } = "";
    public int Recipients { get; set; }
}

/// <summary>A customer contact who receives incident notices (in their language, times in their zone) until they unsubscribe.</summary>
public sealed class NoticeContact
{
    public const int NameMaxLength = 100;
    public const string English = "en";
    public const string Japanese = "ja";

    public static IReadOnlyList<string> Languages { get; } = [English, Japanese];

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";

    /// <summary><see cref="English"/> or <see cref="Japanese"/>.</summary>
    public string Language { get; set; } = Japanese;

    public string TimeZoneId { get; set; } = Staff.StaffTimeZones.Default;

    /// <summary>Comma-separated <see cref="StatusComponents"/> codes of interest; empty means every component.</summary>
    public string Components { get; set; } = "";

    public bool Subscribed { get; set; } = true;
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    public IReadOnlyList<string> ComponentList =>
        Components.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether a notice about an incident on <paramref name="components"/> goes to this contact.</summary>
    public bool Wants(IReadOnlyList<string> components) =>
        Subscribed && (ComponentList.Count == 0 || components.Count == 0 || ComponentList.Intersect(components, StringComparer.Ordinal).Any());
}
