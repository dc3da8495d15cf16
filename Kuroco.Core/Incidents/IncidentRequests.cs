using FluentValidation;
using Kuroco.Core.Common;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Staff;

namespace Kuroco.Core.Incidents;

/// <summary>Opening an incident by hand (step ①).</summary>
public sealed record OpenIncidentRequest(string Title, string PublicTitle, string PublicSummary, AlertSeverity Severity, IReadOnlyList<string> Components);

/// <summary>The classification and public texts of an open incident.</summary>
public sealed record ClassifyIncidentRequest(
    string Title,
    string PublicTitle,
    string PublicSummary,
    AlertSeverity Severity,
    IncidentCause Cause,
    IReadOnlyList<string> Components,
    string AffectedCustomers,
    DateTime? PredictedRecoveryAtUtc);

/// <summary>A note on the timeline; a progress report is always public.</summary>
public sealed record AddIncidentNoteRequest(string Text, bool IsPublic, bool IsProgressReport);

/// <summary>A customer contact for incident notices.</summary>
public sealed record NoticeContactRequest(string Name, string Email, string Language, string TimeZoneId, IReadOnlyList<string> Components);

internal static class IncidentRules
{
    public static bool KnownComponents(IReadOnlyList<string>? components) =>
        components is not null && components.All(c => StatusComponents.All.Contains(c, StringComparer.Ordinal));

    public static bool SafeLine(string? value) => HeaderValues.IsSafe(value);
}

public sealed class OpenIncidentRequestValidator : AbstractValidator<OpenIncidentRequest>
{
    public OpenIncidentRequestValidator()
    {
        RuleFor(r => r.Title).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => IncidentMessages.Get("Incident.TitleRequired"))
            .MaximumLength(Incident.TitleMaxLength).WithMessage(_ => IncidentMessages.Format("Incident.TitleTooLong", Incident.TitleMaxLength))
            .Must(IncidentRules.SafeLine).WithMessage(_ => IncidentMessages.Get("Incident.LineBreak"));
        RuleFor(r => r.PublicTitle).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => IncidentMessages.Get("Incident.PublicTitleRequired"))
            .MaximumLength(Incident.TitleMaxLength).WithMessage(_ => IncidentMessages.Format("Incident.TitleTooLong", Incident.TitleMaxLength))
            .Must(IncidentRules.SafeLine).WithMessage(_ => IncidentMessages.Get("Incident.LineBreak"));
        RuleFor(r => r.PublicSummary)
            .MaximumLength(Incident.SummaryMaxLength).WithMessage(_ => IncidentMessages.Format("Incident.SummaryTooLong", Incident.SummaryMaxLength));
        RuleFor(r => r.Severity).IsInEnum().WithMessage(_ => IncidentMessages.Get("Incident.SeverityUnknown"));
        RuleFor(r => r.Components).Must(IncidentRules.KnownComponents).WithMessage(_ => IncidentMessages.Get("Incident.ComponentUnknown"));
    }
}

public sealed class ClassifyIncidentRequestValidator : AbstractValidator<ClassifyIncidentRequest>
{
    public ClassifyIncidentRequestValidator()
    {
        RuleFor(r => r.Title).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => IncidentMessages.Get("Incident.TitleRequired"))
            .MaximumLength(Incident.TitleMaxLength).WithMessage(_ => IncidentMessages.Format("Incident.TitleTooLong", Incident.TitleMaxLength))
            .Must(IncidentRules.SafeLine).WithMessage(_ => IncidentMessages.Get("Incident.LineBreak"));
        RuleFor(r => r.PublicTitle).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => IncidentMessages.Get("Incident.PublicTitleRequired"))
            .MaximumLength(Incident.TitleMaxLength).WithMessage(_ => IncidentMessages.Format("Incident.TitleTooLong", Incident.TitleMaxLength))
            .Must(IncidentRules.SafeLine).WithMessage(_ => IncidentMessages.Get("Incident.LineBreak"));
        RuleFor(r => r.PublicSummary)
            .MaximumLength(Incident.SummaryMaxLength).WithMessage(_ => IncidentMessages.Format("Incident.SummaryTooLong", Incident.SummaryMaxLength));
        RuleFor(r => r.AffectedCustomers)
            .MaximumLength(Incident.CustomersMaxLength).WithMessage(_ => IncidentMessages.Format("Incident.CustomersTooLong", Incident.CustomersMaxLength));
        RuleFor(r => r.Severity).IsInEnum().WithMessage(_ => IncidentMessages.Get("Incident.SeverityUnknown"));
        RuleFor(r => r.Cause).IsInEnum().WithMessage(_ => IncidentMessages.Get("Incident.CauseUnknown"));
        RuleFor(r => r.Components).Must(IncidentRules.KnownComponents).WithMessage(_ => IncidentMessages.Get("Incident.ComponentUnknown"));
    }
}

public sealed class AddIncidentNoteRequestValidator : AbstractValidator<AddIncidentNoteRequest>
{
    public AddIncidentNoteRequestValidator()
    {
        RuleFor(r => r.Text).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => IncidentMessages.Get("Note.TextRequired"))
            .MaximumLength(IncidentNote.TextMaxLength).WithMessage(_ => IncidentMessages.Format("Note.TextTooLong", IncidentNote.TextMaxLength));
        RuleFor(r => r.IsPublic).Equal(true).When(r => r.IsProgressReport).WithMessage(_ => IncidentMessages.Get("Note.ProgressIsPublic"));
    }
}

public sealed class NoticeContactRequestValidator : AbstractValidator<NoticeContactRequest>
{
    public NoticeContactRequestValidator()
    {
        RuleFor(r => r.Name).Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage(_ => IncidentMessages.Get("Contact.NameRequired"))
            .MaximumLength(NoticeContact.NameMaxLength).WithMessage(_ => IncidentMessages.Format("Contact.NameTooLong", NoticeContact.NameMaxLength))
            .Must(IncidentRules.SafeLine).WithMessage(_ => IncidentMessages.Get("Incident.LineBreak"));
        RuleFor(r => r.Email).Must(EmailRules.IsValid).WithMessage(_ => IncidentMessages.Get("Contact.EmailInvalid"));
        RuleFor(r => r.Language).Must(l => NoticeContact.Languages.Contains(l, StringComparer.Ordinal)).WithMessage(_ => IncidentMessages.Get("Contact.LanguageUnknown"));
        RuleFor(r => r.TimeZoneId).Must(StaffTimeZones.IsValid).WithMessage(_ => IncidentMessages.Get("Contact.TimeZoneUnknown"));
        RuleFor(r => r.Components).Must(IncidentRules.KnownComponents).WithMessage(_ => IncidentMessages.Get("Incident.ComponentUnknown"));
    }
}
