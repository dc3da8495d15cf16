using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Backups.Requests;

/// <summary>The intake form's rules: name, a plain contact address (no CR/LF), en/ja, one to 100 targets, a past "last known good".</summary>
public sealed class RestoreRequestIntakeValidator : AbstractValidator<RestoreRequestIntake>
{
    public static IReadOnlyList<string> Languages { get; } = ["en", "ja"];

    public RestoreRequestIntakeValidator(TimeProvider clock)
    {
        RuleFor(i => i.CustomerName)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage(_ => RestoreRequestMessages.Get("Intake.CustomerName"))
            .MaximumLength(RestoreRequest.CustomerNameMaxLength).WithMessage(_ => RestoreRequestMessages.Get("Intake.CustomerNameLength"))
            .Must(HeaderValues.IsSafe).WithMessage(_ => RestoreRequestMessages.Get("Intake.LineBreak"));
        RuleFor(i => i.ContactEmail)
            .Must(HeaderValues.IsSafe).WithMessage(_ => RestoreRequestMessages.Get("Intake.LineBreak"))
            .Must(e => EmailRules.IsValid(e?.Trim())).WithMessage(_ => RestoreRequestMessages.Get("Intake.ContactEmail"));
        RuleFor(i => i.ContactLanguage)
            .Must(l => Languages.Contains(l)).WithMessage(_ => RestoreRequestMessages.Get("Intake.Language"));
        RuleFor(i => i.Scope)
            .Must(s => s is { Targets.Count: > 0 and <= RestoreRequest.MaxTargets }).WithMessage(_ => RestoreRequestMessages.Get("Intake.Scope"));
        RuleForEach(i => i.Scope.Targets)
            .Must(t => Enum.IsDefined(t.Kind) && !string.IsNullOrWhiteSpace(t.Key) && t.Key.Length <= RestoreRequest.TargetKeyMaxLength
                && HeaderValues.IsSafe(t.Key) && IsKey(t))
            .WithMessage(_ => RestoreRequestMessages.Get("Intake.Target"))
            .When(i => i.Scope is not null);
        RuleFor(i => i.LastKnownGoodUtc)
            .Must(t => t <= clock.GetUtcNow().UtcDateTime && t.Year >= 2000).WithMessage(_ => RestoreRequestMessages.Get("Intake.LastKnownGood"));
        RuleFor(i => i.Notes).MaximumLength(RestoreRequest.NotesMaxLength).WithMessage(_ => RestoreRequestMessages.Get("Intake.Notes"));
    }

    /// <summary>
    /// A target's key: an id; a content type's key; for a member also an email address (a member deleted since is often
    /// known only by it — the extraction looks it up in the backup).
    /// </summary>
    public static bool IsKey(RestoreTarget target) => target.Kind switch
    {
        RestoreTargetKind.ContentType => target.Key.Trim() == target.Key,
        RestoreTargetKind.Member => Guid.TryParse(target.Key, out _) || EmailRules.IsValid(target.Key),
        _ => Guid.TryParse(target.Key, out _),
    };
}
