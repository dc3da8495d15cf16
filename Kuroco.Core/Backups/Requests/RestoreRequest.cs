using System.Globalization;
using Kuroco.Core.Common;

namespace Kuroco.Core.Backups.Requests;

/// <summary>Where a restore request stands. Stored as text, so never rename one.</summary>
public enum RestoreRequestState
{
    Received,
    Quoted,
    Approved,
    Extracted,
    Applied,
    Notified,
    Cancelled,
    Declined,
}

/// <summary>Background work running for a request (the extraction or the apply job).</summary>
public enum RestoreRequestWork
{
    None,
    Extracting,
    Applying,
}

/// <summary>Who moved a request: a staff user, or the customer's contact through the approval link.</summary>
public sealed record RestoreRequestActor(string? StaffId, string Name)
{
    /// <summary>The name stored for the customer's contact; pages show it as "customer via link".</summary>
    public const string CustomerName = "customer-link";

    /// <summary>The name stored for background jobs.</summary>
    public const string SystemName = "system";

    public static RestoreRequestActor Customer { get; } = new(null, CustomerName);

    public static RestoreRequestActor System { get; } = new(null, SystemName);
}

/// <summary>Timeline event codes (stored; pages localize "event:{code}").</summary>
public static class RestoreRequestEvents
{
    public const string Received = "received";
    public const string Quoted = "quoted";
    public const string ApprovedByLink = "approved-link";
    public const string ApprovedByPhone = "approved-phone";
    public const string ExtractionStarted = "extraction-started";
    public const string Extracted = "extracted";
    public const string ApplyStarted = "apply-started";
    public const string Applied = "applied";
    public const string Notified = "notified";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Declined = "declined";
}

/// <summary>One line of a request's timeline.</summary>
public sealed class RestoreRequestEvent
{
    public const int DetailMaxLength = 2000;

    public long Id { get; set; }
    public Guid RequestId { get; set; }
    public string Event { get; set; } = "";
    public DateTime AtUtc { get; set; }
    public string? StaffId { get; set; }
    public string ActorName { get; set; } = "";
    public string? Detail { get; set; }
}

/// <summary>
/// A customer's request to bring back lost data from a backup: intake, quote, approval, extraction (preview), apply,
/// completion mail. The transitions are the methods below; each refuses to skip a step (Conflict) and records itself on
/// the timeline (<see cref="Events"/>). No extraction before approval.
/// </summary>
public sealed class RestoreRequest
{
    public const int ReferenceMaxLength = 16;
    public const int CustomerNameMaxLength = 200;
    public const int NotesMaxLength = 4000;
    public const int NoteMaxLength = 1000;
    public const int MaxFeeJpy = 100_000_000;
    public const int MaxTargets = 100;
    public const int TargetKeyMaxLength = 320;

    public Guid Id { get; set; }

    /// <summary>"RR-2026-0001": the year in the company zone and a number counting from 1 each year.</summary>
    public string Reference { get; set; } = "";
    public int Year { get; set; }
    public int Number { get; set; }
    public string CustomerName { get; set; } = "";
    public string ContactEmail { get; set; } = "";

    /// <summary>"en" or "ja": the language of the mails to the contact.</summary>
    public string ContactLanguage { get; set; } = "ja";

    /// <summary>What was lost (<see cref="RestoreScope"/> as JSON).</summary>
    public string ScopeJson { get; set; } = "";
    public DateTime LastKnownGoodUtc { get; set; }
    public string? Notes { get; set; }
    public RestoreRequestState State { get; set; }
    public RestoreRequestWork Work { get; set; }
    public DateTime ReceivedAtUtc { get; set; }
    public string? ReceivedByStaffId { get; set; }

    public int? FeeJpy { get; set; }
    public DateTime? PromisedAtUtc { get; set; }
    public DateTime? QuotedAtUtc { get; set; }
    public string? ApprovalTokenHash { get; set; }
    public DateTime? ApprovalTokenExpiresAtUtc { get; set; }
    public DateTime? ApprovedAtUtc { get; set; }

    /// <summary>"link" or "phone".</summary>
    public string? ApprovalMethod { get; set; }
    public string? ApprovalNote { get; set; }

    public string? GenerationId { get; set; }
    public string? PreviewJson { get; set; }
    public DateTime? ExtractedAtUtc { get; set; }
    public string? ResolutionsJson { get; set; }
    public string? SummaryJson { get; set; }
    public DateTime? AppliedAtUtc { get; set; }
    public DateTime? NotifiedAtUtc { get; set; }
    public DateTime? ClosedAtUtc { get; set; }
    public string? LastError { get; set; }

    /// <summary>Optimistic concurrency: two staff (or a job and a person) cannot both move the request from one state.</summary>
    public Guid Version { get; set; }

    public List<RestoreRequestEvent> Events { get; set; } = [];

    public static string FormatReference(int year, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"RR-{year:D4}-{number:D4}");

    public bool IsOpen => State is not (RestoreRequestState.Notified or RestoreRequestState.Cancelled or RestoreRequestState.Declined);

    /// <summary>Starts a request (state Received) with its first timeline line.</summary>
    public static RestoreRequest Receive(RestoreRequestIntake intake, int year, int number, RestoreRequestActor actor, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(actor);
        var request = new RestoreRequest
        {
            Id = Guid.CreateVersion7(),
            Reference = FormatReference(year, number),
            Year = year,
            Number = number,
            CustomerName = intake.CustomerName.Trim(),
            ContactEmail = intake.ContactEmail.Trim(),
            ContactLanguage = intake.ContactLanguage,
            ScopeJson = RestoreScopeJson.Write(intake.Scope),
            LastKnownGoodUtc = DateTime.SpecifyKind(intake.LastKnownGoodUtc, DateTimeKind.Utc),
            Notes = string.IsNullOrWhiteSpace(intake.Notes) ? null : intake.Notes.Trim(),
            State = RestoreRequestState.Received,
            ReceivedAtUtc = nowUtc,
            ReceivedByStaffId = actor.StaffId,
            Version = Guid.NewGuid(),
        };
        request.Record(RestoreRequestEvents.Received, actor, nowUtc, null);
        return request;
    }

    public RestoreScope Scope => RestoreScopeJson.Read(ScopeJson);

    /// <summary>Received (or Quoted again: a new quote replaces the old one and its link) → Quoted.</summary>
    public Result Quote(int feeJpy, DateTime promisedAtUtc, string approvalTokenHash, DateTime tokenExpiresAtUtc, RestoreRequestActor actor, DateTime nowUtc)
    {
        if (State is not (RestoreRequestState.Received or RestoreRequestState.Quoted))
        {
            return Refuse();
        }
        if (feeJpy < 0 || feeJpy > MaxFeeJpy)
        {
            return Result.Invalid([new FieldError("FeeJpy", RestoreRequestMessages.Get("Quote.Fee"))]);
        }
        if (promisedAtUtc <= nowUtc)
        {
            return Result.Invalid([new FieldError("PromisedAt", RestoreRequestMessages.Get("Quote.PromisedInPast"))]);
        }
        FeeJpy = feeJpy;
        PromisedAtUtc = promisedAtUtc;
        QuotedAtUtc = nowUtc;
        ApprovalTokenHash = approvalTokenHash;
        ApprovalTokenExpiresAtUtc = tokenExpiresAtUtc;
        State = RestoreRequestState.Quoted;
        Record(RestoreRequestEvents.Quoted, actor, nowUtc, feeJpy.ToString(CultureInfo.InvariantCulture));
        return Result.Success;
    }

    /// <summary>True when the approval link is still good at <paramref name="nowUtc"/>.</summary>
    public bool ApprovalLinkUsable(DateTime nowUtc) =>
        State == RestoreRequestState.Quoted && ApprovalTokenHash is not null && ApprovalTokenExpiresAtUtc > nowUtc;

    /// <summary>Quoted → Approved by the contact through the link (single use: the link is spent).</summary>
    public Result ApproveByLink(DateTime nowUtc)
    {
        if (!ApprovalLinkUsable(nowUtc))
        {
            return Refuse();
        }
        Approve("link", null, RestoreRequestEvents.ApprovedByLink, RestoreRequestActor.Customer, nowUtc);
        return Result.Success;
    }

    /// <summary>Quoted → Approved by staff who took the approval on the phone (a note is required).</summary>
    public Result ApproveByPhone(string? note, RestoreRequestActor actor, DateTime nowUtc)
    {
        if (State != RestoreRequestState.Quoted)
        {
            return Refuse();
        }
        if (string.IsNullOrWhiteSpace(note) || note.Length > NoteMaxLength)
        {
            return Result.Invalid([new FieldError("Note", RestoreRequestMessages.Get("Approve.Note"))]);
        }
        Approve("phone", note.Trim(), RestoreRequestEvents.ApprovedByPhone, actor, nowUtc);
        return Result.Success;
    }

    /// <summary>Approved (or Extracted again, e.g. another generation) → extraction job running. Never before approval.</summary>
    public Result StartExtraction(string generationId, RestoreRequestActor actor, DateTime nowUtc)
    {
        if (State is not (RestoreRequestState.Approved or RestoreRequestState.Extracted) || Work != RestoreRequestWork.None)
        {
            return Refuse();
        }
        if (string.IsNullOrWhiteSpace(generationId))
        {
            return Result.Invalid([new FieldError("GenerationId", RestoreRequestMessages.Get("Extract.Generation"))]);
        }
        GenerationId = generationId;
        Work = RestoreRequestWork.Extracting;
        LastError = null;
        Record(RestoreRequestEvents.ExtractionStarted, actor, nowUtc, generationId);
        return Result.Success;
    }

    /// <summary>The extraction job finished: the preview is stored, state Extracted.</summary>
    public Result CompleteExtraction(string previewJson, DateTime nowUtc)
    {
        if (Work != RestoreRequestWork.Extracting)
        {
            return Refuse();
        }
        PreviewJson = previewJson;
        ExtractedAtUtc = nowUtc;
        ResolutionsJson = null;
        Work = RestoreRequestWork.None;
        State = RestoreRequestState.Extracted;
        Record(RestoreRequestEvents.Extracted, RestoreRequestActor.System, nowUtc, GenerationId);
        return Result.Success;
    }

    /// <summary>Extracted → apply job running, with staff's resolution of each conflict (JSON).</summary>
    public Result StartApply(string resolutionsJson, RestoreRequestActor actor, DateTime nowUtc)
    {
        if (State != RestoreRequestState.Extracted || Work != RestoreRequestWork.None || PreviewJson is null)
        {
            return Refuse();
        }
        ResolutionsJson = resolutionsJson;
        Work = RestoreRequestWork.Applying;
        LastError = null;
        Record(RestoreRequestEvents.ApplyStarted, actor, nowUtc, null);
        return Result.Success;
    }

    /// <summary>The apply job finished: state Applied with its summary (JSON).</summary>
    public Result CompleteApply(string summaryJson, DateTime nowUtc)
    {
        if (Work != RestoreRequestWork.Applying)
        {
            return Refuse();
        }
        SummaryJson = summaryJson;
        AppliedAtUtc = nowUtc;
        Work = RestoreRequestWork.None;
        State = RestoreRequestState.Applied;
        Record(RestoreRequestEvents.Applied, RestoreRequestActor.System, nowUtc, null);
        return Result.Success;
    }

    /// <summary>A job failed: the state stays, the work stops, the message goes on the timeline; staff may retry.</summary>
    public Result FailWork(string message, DateTime nowUtc)
    {
        if (Work == RestoreRequestWork.None)
        {
            return Refuse();
        }
        var detail = message.Length > RestoreRequestEvent.DetailMaxLength ? message[..RestoreRequestEvent.DetailMaxLength] : message;
        LastError = detail;
        Record(RestoreRequestEvents.Failed, RestoreRequestActor.System, nowUtc, (Work == RestoreRequestWork.Extracting ? "extract: " : "apply: ") + detail);
        Work = RestoreRequestWork.None;
        return Result.Success;
    }

    /// <summary>Applied → Notified once the completion mail is queued.</summary>
    public Result MarkNotified(DateTime nowUtc)
    {
        if (State != RestoreRequestState.Applied)
        {
            return Refuse();
        }
        NotifiedAtUtc = nowUtc;
        ClosedAtUtc = nowUtc;
        State = RestoreRequestState.Notified;
        Record(RestoreRequestEvents.Notified, RestoreRequestActor.System, nowUtc, ContactEmail);
        return Result.Success;
    }

    /// <summary>Staff stop an open request before anything was applied (Received, Quoted, Approved, Extracted).</summary>
    public Result Cancel(string? note, RestoreRequestActor actor, DateTime nowUtc) =>
        Close(RestoreRequestState.Cancelled, RestoreRequestEvents.Cancelled,
            [RestoreRequestState.Received, RestoreRequestState.Quoted, RestoreRequestState.Approved, RestoreRequestState.Extracted], note, actor, nowUtc);

    /// <summary>The customer declined the quote (Quoted only).</summary>
    public Result Decline(string? note, RestoreRequestActor actor, DateTime nowUtc) =>
        Close(RestoreRequestState.Declined, RestoreRequestEvents.Declined, [RestoreRequestState.Quoted], note, actor, nowUtc);

    private Result Close(RestoreRequestState to, string evt, RestoreRequestState[] from, string? note, RestoreRequestActor actor, DateTime nowUtc)
    {
        if (!from.Contains(State) || Work != RestoreRequestWork.None)
        {
            return Refuse();
        }
        if (note is { Length: > NoteMaxLength })
        {
            return Result.Invalid([new FieldError("Note", RestoreRequestMessages.Get("Note.TooLong"))]);
        }
        State = to;
        ClosedAtUtc = nowUtc;
        ApprovalTokenHash = null;
        Record(evt, actor, nowUtc, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        return Result.Success;
    }

    private void Approve(string method, string? note, string evt, RestoreRequestActor actor, DateTime nowUtc)
    {
        ApprovalMethod = method;
        ApprovalNote = note;
        ApprovedAtUtc = nowUtc;
        ApprovalTokenHash = null;
        State = RestoreRequestState.Approved;
        Record(evt, actor, nowUtc, note);
    }

    private Result Refuse() =>
        Result.Conflict(RestoreRequestMessages.Format("Transition.Refused", Reference, RestoreRequestMessages.Get("State." + State)));

    private void Record(string evt, RestoreRequestActor actor, DateTime nowUtc, string? detail)
    {
        Version = Guid.NewGuid();
        Events.Add(new RestoreRequestEvent
        {
            RequestId = Id,
            Event = evt,
            AtUtc = nowUtc,
            StaffId = actor.StaffId,
            ActorName = actor.Name,
            Detail = detail,
        });
    }
}
