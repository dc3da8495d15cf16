using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Incidents;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Incidents;

/// <summary>
/// Incidents through the Core state machine: each call uses its own DbContext, checks the caller's role, validates,
/// saves, audits, and sends the notice a step or a progress report calls for (after the change is saved: a notice
/// never undoes it).
/// </summary>
internal sealed class IncidentService(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<OpenIncidentRequest> openValidator,
    IValidator<ClassifyIncidentRequest> classifyValidator,
    IValidator<AddIncidentNoteRequest> noteValidator,
    IncidentNoticeSender notices,
    IAuditLog audit,
    IAuditContext auditContext,
    IOptions<IncidentOptions> options,
    TimeProvider clock) : IIncidentService
{
    public async Task<IReadOnlyList<Incident>> ListAsync(bool? open, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Set<Incident>().AsNoTracking().Include(i => i.Transitions).AsSplitQuery();
        if (open is { } wanted)
        {
            query = wanted
                ? query.Where(i => i.Step != IncidentStep.RecoveryAnnounced)
                : query.Where(i => i.Step == IncidentStep.RecoveryAnnounced);
        }
        return await query.OrderByDescending(i => i.DetectedAtUtc).Take(500).ToListAsync(cancellationToken);
    }

    public async Task<Incident?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incident = await Full(db).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        Order(incident);
        return incident;
    }

    public async Task<Result<Guid>> CreateAsync(OpenIncidentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = await auditContext.GetActorAsync();
        if (!IncidentRoles.CanManage(actor.Roles))
        {
            return Result.Forbidden(IncidentMessages.Get("Incident.Forbidden")).As<Guid>();
        }
        var validation = await openValidator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation).As<Guid>();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var incident = new Incident
        {
            Id = Guid.CreateVersion7(),
            Title = request.Title.Trim(),
            PublicTitle = request.PublicTitle.Trim(),
            PublicSummary = request.PublicSummary?.Trim() ?? "",
            Severity = request.Severity,
            Components = string.Join(',', request.Components.Distinct(StringComparer.Ordinal)),
            DetectedAtUtc = now,
            DetectedBy = actor.Name,
            UpdatedAtUtc = now,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Add(incident);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.IncidentOpened, AuditEntityTypes.Incident, incident.Id.ToString(),
            AuditParameters.Of(("title", incident.Title), ("severity", incident.Severity.ToString()), ("components", incident.Components))), cancellationToken);
        return Result.Ok(incident.Id);
    }

    public async Task<Result> AdvanceAsync(Guid id, IncidentStep target, CancellationToken cancellationToken = default)
    {
        var actor = await auditContext.GetActorAsync();
        if (!IncidentRoles.CanManage(actor.Roles))
        {
            return Result.Forbidden(IncidentMessages.Get("Incident.Forbidden"));
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incident = await Full(db).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
        {
            return Result.NotFound(IncidentMessages.Get("Incident.NotFound"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var advanced = IncidentStateMachine.Advance(incident, target, actor.Name, now);
        if (!advanced.Succeeded)
        {
            return advanced;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique (incident, step) index: someone else moved the incident meanwhile.
            return Result.Conflict(IncidentMessages.Get("Incident.ChangedMeanwhile"));
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.IncidentAdvanced, AuditEntityTypes.Incident, incident.Id.ToString(),
            AuditParameters.Of(("title", incident.Title), ("step", target.ToString()))), cancellationToken);
        Order(incident);
        var kind = target switch
        {
            IncidentStep.StatusReported => IncidentNoticeKind.Status,
            IncidentStep.RecoveryAnnounced => IncidentNoticeKind.Recovery,
            _ => (IncidentNoticeKind?)null,
        };
        if (kind is { } notice)
        {
            await notices.SendAsync(incident, notice, actor.Name, cancellationToken);
        }
        return Result.Success;
    }

    public async Task<Result> ClassifyAsync(Guid id, ClassifyIncidentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = await auditContext.GetActorAsync();
        if (!IncidentRoles.CanManage(actor.Roles))
        {
            return Result.Forbidden(IncidentMessages.Get("Incident.Forbidden"));
        }
        var validation = await classifyValidator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incident = await db.Set<Incident>().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
        {
            return Result.NotFound(IncidentMessages.Get("Incident.NotFound"));
        }
        if (IncidentStateMachine.CheckOpen(incident) is { Succeeded: false } closed)
        {
            return closed;
        }
        if (request.PredictedRecoveryAtUtc is { } predicted && predicted <= incident.DetectedAtUtc)
        {
            return Result.Invalid([new FieldError(nameof(request.PredictedRecoveryAtUtc), IncidentMessages.Get("Incident.PredictionBeforeDetection"))]);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var changes = new List<FieldChange>();
        void Set(string field, string? before, string? after, Action apply)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, before, after));
                apply();
            }
        }
        var components = string.Join(',', request.Components.Distinct(StringComparer.Ordinal));
        var customers = string.Join('\n', (request.AffectedCustomers ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var prediction = request.PredictedRecoveryAtUtc is { } p ? DateTime.SpecifyKind(p, DateTimeKind.Utc) : (DateTime?)null;
        Set("Title", incident.Title, request.Title.Trim(), () => incident.Title = request.Title.Trim());
        Set("PublicTitle", incident.PublicTitle, request.PublicTitle.Trim(), () => incident.PublicTitle = request.PublicTitle.Trim());
        Set("PublicSummary", incident.PublicSummary, (request.PublicSummary ?? "").Trim(), () => incident.PublicSummary = (request.PublicSummary ?? "").Trim());
        Set("Severity", incident.Severity.ToString(), request.Severity.ToString(), () => incident.Severity = request.Severity);
        Set("Cause", incident.Cause.ToString(), request.Cause.ToString(), () => incident.Cause = request.Cause);
        Set("Components", incident.Components, components, () => incident.Components = components);
        Set("AffectedCustomers", incident.AffectedCustomers, customers, () => incident.AffectedCustomers = customers);
        Set("PredictedRecoveryAtUtc", Iso(incident.PredictedRecoveryAtUtc), Iso(prediction), () =>
        {
            incident.PredictedRecoveryAtUtc = prediction;
            incident.PredictionSetAtUtc = prediction is null ? null : now;
        });
        if (changes.Count == 0)
        {
            return Result.Success;
        }
        incident.UpdatedAtUtc = now;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.IncidentClassified, AuditEntityTypes.Incident, incident.Id.ToString(),
            AuditParameters.Of(("title", incident.Title), ("fields", string.Join(',', changes.Select(c => c.Field)))),
            AuditOutcome.Success, changes), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> AddNoteAsync(Guid id, AddIncidentNoteRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = await auditContext.GetActorAsync();
        if (!IncidentRoles.CanManage(actor.Roles))
        {
            return Result.Forbidden(IncidentMessages.Get("Incident.Forbidden"));
        }
        var validation = await noteValidator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incident = await Full(db).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
        {
            return Result.NotFound(IncidentMessages.Get("Incident.NotFound"));
        }
        if (IncidentStateMachine.CheckOpen(incident) is { Succeeded: false } closed)
        {
            return closed;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var progress = request.IsProgressReport;
        var note = new IncidentNote
        {
            Id = Guid.CreateVersion7(),
            IncidentId = incident.Id,
            AtUtc = now,
            By = actor.Name,
            Text = request.Text.Trim(),
            IsPublic = request.IsPublic || progress,
            Kind = progress ? IncidentNoteKind.Progress : IncidentNoteKind.Note,
            WasOverdue = progress && ThreeHourRule.Evaluate(incident, now, options.Value.Interval).Overdue,
        };
        db.Add(note);
        if (progress)
        {
            incident.LastProgressReportAtUtc = now;
            incident.ProgressOverdueSinceUtc = null;
        }
        incident.UpdatedAtUtc = now;
        await db.SaveChangesAsync(cancellationToken);
        var variant = progress ? "progress" : note.IsPublic ? "public" : "internal";
        await audit.WriteAsync(new AuditRecord(AuditActions.IncidentNoteAdded, AuditEntityTypes.Incident, incident.Id.ToString(),
            AuditParameters.Of(("variant", variant), ("title", incident.Title), ("late", note.WasOverdue ? "true" : "false"))), cancellationToken);
        if (progress)
        {
            Order(incident);
            await notices.SendAsync(incident, IncidentNoticeKind.Progress, actor.Name, cancellationToken);
        }
        return Result.Success;
    }

    public ProgressReportState ProgressState(Incident incident) =>
        ThreeHourRule.Evaluate(incident, clock.GetUtcNow().UtcDateTime, options.Value.Interval);

    public async Task<IReadOnlyList<Incident>> ListOverdueAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<Incident>().AsNoTracking()
            .Where(i => i.ProgressOverdueSinceUtc != null && i.Step < IncidentStep.Recovered)
            .OrderBy(i => i.ProgressOverdueSinceUtc)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<IncidentMonthRow>> MonthlyReportAsync(int months, CancellationToken cancellationToken = default)
    {
        months = Math.Clamp(months, 1, 36);
        var now = clock.GetUtcNow().UtcDateTime;
        // A day of margin either side of the zone's month boundary; the Core maths picks the months exactly.
        var since = now.AddMonths(-months).AddDays(-2);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incidents = await db.Set<Incident>().AsNoTracking()
            .Include(i => i.Transitions).Include(i => i.Notes).AsSplitQuery()
            .Where(i => i.DetectedAtUtc >= since)
            .ToListAsync(cancellationToken);
        return IncidentReport.Monthly(incidents, StaffTimeZones.Find(options.Value.TimeZone), now, months);
    }

    public async Task<IReadOnlyList<IncidentPublicView>> ListPublicAsync(DateTime sinceUtc, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incidents = await Full(db).AsNoTracking()
            .Where(i => i.DetectedAtUtc >= sinceUtc || i.Step != IncidentStep.RecoveryAnnounced)
            .OrderByDescending(i => i.DetectedAtUtc)
            .ToListAsync(cancellationToken);
        return [.. incidents.Select(IncidentPublicView.From)];
    }

    private static IQueryable<Incident> Full(KurocoDbContext db) =>
        db.Set<Incident>().Include(i => i.Transitions).Include(i => i.Notes).Include(i => i.Notices).AsSplitQuery();

    private static void Order(Incident? incident)
    {
        if (incident is null)
        {
            return;
        }
        incident.Transitions = [.. incident.Transitions.OrderBy(t => t.Step)];
        incident.Notes = [.. incident.Notes.OrderBy(n => n.AtUtc)];
        incident.Notices = [.. incident.Notices.OrderBy(n => n.SentAtUtc)];
    }

    private static string? Iso(DateTime? utc) => utc?.ToString("O", CultureInfo.InvariantCulture);
}
