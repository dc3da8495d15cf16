using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Common;
using Kuroco.Core.Jobs;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups.Requests;

/// <summary>
/// The restore-request workflow up to the jobs (<see cref="IRestoreRequestService"/>): intake with a per-year reference,
/// quote with its mail and single-use approval link, approval (link or phone), withdraw/decline, and queuing the extraction
/// and apply jobs (<see cref="RestoreRequestJobs"/>). The transitions themselves are the Core methods of
/// <see cref="RestoreRequest"/>; this class loads, saves (optimistic concurrency on <see cref="RestoreRequest.Version"/>)
/// and audits. Every change made by staff needs a signed-in SupportStaff or Administrator (the settings an
/// Administrator), checked here as well as on the pages.
/// </summary>
internal sealed class RestoreRequestService(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<RestoreRequestIntake> intakeValidator,
    IAuditLog audit,
    IAuditContext auditContext,
    IJobScheduler jobs,
    RestoreRequestMailer mailer,
    IOptions<RestoreRequestOptions> options,
    TimeProvider clock) : IRestoreRequestService
{
    private const int ReferenceAttempts = 8;

    public async Task<Result<RestoreRequest>> CreateAsync(RestoreRequestIntake intake, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intake);
        if (await ActingStaffAsync() is not { } actor)
        {
            return Result<RestoreRequest>.Failure(ErrorKind.Forbidden, RestoreRequestMessages.Get("Request.Forbidden"));
        }
        var validation = await intakeValidator.ValidateAsync(intake, cancellationToken);
        if (!validation.IsValid)
        {
            return Result<RestoreRequest>.Invalid(validation);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var year = StaffTimeZones.ToLocal(now, options.Value.TimeZone).Year;
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var last = await db.Set<RestoreRequest>().Where(r => r.Year == year).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0;
            var request = RestoreRequest.Receive(intake, year, last + 1, actor, now);
            db.Add(request);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt < ReferenceAttempts)
            {
                // Another intake took the number meanwhile (unique index on Year, Number): take the next one.
                await Task.Delay(Random.Shared.Next(5, 40) * attempt, cancellationToken);
                continue;
            }
            await AuditAsync(AuditActions.RestoreRequestReceived, request,
                ("customer", request.CustomerName), ("email", request.ContactEmail),
                ("targets", intake.Scope.Targets.Count.ToString(CultureInfo.InvariantCulture)));
            return Result.Ok(request);
        }
    }

    public async Task<IReadOnlyList<RestoreRequestSummary>> ListAsync(RestoreRequestFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Set<RestoreRequest>().AsNoTracking();
        if (filter.State is { } state)
        {
            query = query.Where(r => r.State == state);
        }
        if (filter.Year is { } year)
        {
            query = query.Where(r => r.Year == year);
        }
        return await query.OrderByDescending(r => r.Year).ThenByDescending(r => r.Number).Take(500)
            .Select(r => new RestoreRequestSummary(r.Id, r.Reference, r.CustomerName, r.ContactEmail, r.State, r.Work, r.ReceivedAtUtc, r.FeeJpy))
            .ToListAsync(cancellationToken);
    }

    public async Task<RestoreRequest?> FindAsync(string reference, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.Length > RestoreRequest.ReferenceMaxLength)
        {
            return null;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Set<RestoreRequest>().AsNoTracking().Include(r => r.Events)
            .FirstOrDefaultAsync(r => r.Reference == reference, cancellationToken);
        request?.Events.Sort((a, b) => a.Id.CompareTo(b.Id));
        return request;
    }

    public async Task<Result> QuoteAsync(string reference, RestoreQuoteInput quote, Uri consoleBaseUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(consoleBaseUri);
        if (await ActingStaffAsync() is not { } actor)
        {
            return Forbidden();
        }
        var settings = await GetSettingsAsync(cancellationToken);
        var secret = MemberSecrets.Generate();
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now.AddDays(settings.ApprovalLinkDays);
        RestoreRequest? quoted = null;
        var result = await ChangeAsync(reference, r =>
        {
            quoted = r;
            return r.Quote(quote.FeeJpy, DateTime.SpecifyKind(quote.PromisedAtUtc, DateTimeKind.Utc), MemberSecrets.Hash(secret), expires, actor, now);
        }, cancellationToken);
        if (!result.Succeeded || quoted is null)
        {
            return result;
        }
        await AuditAsync(AuditActions.RestoreRequestQuoted, quoted,
            ("fee", quote.FeeJpy.ToString(CultureInfo.InvariantCulture)), ("email", quoted.ContactEmail),
            ("promisedAt", quoted.PromisedAtUtc!.Value.ToString("O", CultureInfo.InvariantCulture)),
            ("linkExpiresAt", expires.ToString("O", CultureInfo.InvariantCulture)));
        var linkBase = string.IsNullOrWhiteSpace(options.Value.LinkBaseUrl) ? consoleBaseUri : new Uri(options.Value.LinkBaseUrl);
        await mailer.SendQuoteAsync(quoted, ApprovalLink(linkBase, secret), expires, cancellationToken);
        return Result.Success;
    }

    /// <summary>The anonymous approval page's address for a token.</summary>
    public static Uri ApprovalLink(Uri baseUri, string token)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        var root = baseUri.AbsoluteUri.TrimEnd('/');
        return new Uri(root + "/restore-requests/approve/" + Uri.EscapeDataString(token));
    }

    public async Task<Result> ApproveByPhoneAsync(string reference, string note, CancellationToken cancellationToken = default)
    {
        if (await ActingStaffAsync() is not { } actor)
        {
            return Forbidden();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        RestoreRequest? approved = null;
        var result = await ChangeAsync(reference, r =>
        {
            approved = r;
            return r.ApproveByPhone(note, actor, now);
        }, cancellationToken);
        if (result.Succeeded && approved is not null)
        {
            await AuditAsync(AuditActions.RestoreRequestApproved, approved, ("variant", "phone"), ("note", approved.ApprovalNote));
        }
        return result;
    }

    public async Task<Result> WithdrawAsync(string reference, string? note, CancellationToken cancellationToken = default)
    {
        if (await ActingStaffAsync() is not { } actor)
        {
            return Forbidden();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        RestoreRequest? changed = null;
        var result = await ChangeAsync(reference, r =>
        {
            changed = r;
            return r.Cancel(note, actor, now);
        }, cancellationToken);
        if (result.Succeeded && changed is not null)
        {
            await AuditAsync(AuditActions.RestoreRequestCancelled, changed, ("note", note));
        }
        return result;
    }

    public async Task<Result> DeclineAsync(string reference, string? note, CancellationToken cancellationToken = default)
    {
        if (await ActingStaffAsync() is not { } actor)
        {
            return Forbidden();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        RestoreRequest? changed = null;
        var result = await ChangeAsync(reference, r =>
        {
            changed = r;
            return r.Decline(note, actor, now);
        }, cancellationToken);
        if (result.Succeeded && changed is not null)
        {
            await AuditAsync(AuditActions.RestoreRequestDeclined, changed, ("note", note));
        }
        return result;
    }

    public async Task<RestoreApprovalView?> FindApprovalAsync(string? token, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await FindByTokenAsync(db, token, cancellationToken);
        return request is not null && request.ApprovalLinkUsable(clock.GetUtcNow().UtcDateTime) ? View(request) : null;
    }

    public async Task<Result<RestoreApprovalView>> ApproveByLinkAsync(string? token, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await FindByTokenAsync(db, token, cancellationToken);
        var unusable = Result<RestoreApprovalView>.NotFound(RestoreRequestMessages.Get("Link.Unusable"));
        if (request is null || !request.ApproveByLink(clock.GetUtcNow().UtcDateTime).Succeeded)
        {
            return unusable;
        }
        try
        {
            // The version check makes the link single-use: of two posts, the second finds the row changed.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return unusable;
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.RestoreRequestApproved, AuditEntityTypes.RestoreRequest, request.Reference,
            AuditParameters.Of(("reference", request.Reference), ("variant", "link")))
        {
            Actor = new AuditActor(null, RestoreRequestActor.CustomerName, []),
        }, cancellationToken);
        return Result.Ok(View(request));
    }

    public async Task<Result> StartExtractionAsync(string reference, string generationId, CancellationToken cancellationToken = default)
    {
        if (await ActingStaffAsync() is not { } actor)
        {
            return Forbidden();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        RestoreRequest? changed = null;
        var result = await ChangeAsync(reference, r =>
        {
            changed = r;
            return r.StartExtraction(generationId, actor, now);
        }, cancellationToken);
        if (!result.Succeeded || changed is null)
        {
            return result;
        }
        await AuditAsync(AuditActions.RestoreRequestExtractionStarted, changed, ("generation", generationId));
        var id = changed.Id;
        jobs.Enqueue<RestoreRequestJobs>(j => j.ExtractAsync(id, CancellationToken.None));
        return Result.Success;
    }

    public async Task<Result> StartApplyAsync(string reference, IReadOnlyDictionary<string, ConflictResolution> resolutions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolutions);
        if (await ActingStaffAsync() is not { } actor)
        {
            return Forbidden();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        RestoreRequest? changed = null;
        var result = await ChangeAsync(reference, r =>
        {
            changed = r;
            var preview = RestoreScopeJson.Read<RestorePreview>(r.PreviewJson);
            var conflicts = preview?.Records.Where(d => d.Change == RestoreChangeKind.Conflict).Select(d => d.RecordKey) ?? [];
            if (conflicts.Any(k => !resolutions.ContainsKey(k)))
            {
                return Result.Invalid([new FieldError("Resolutions", RestoreRequestMessages.Get("Apply.Resolution"))]);
            }
            return r.StartApply(RestoreScopeJson.Write(resolutions), actor, now);
        }, cancellationToken);
        if (!result.Succeeded || changed is null)
        {
            return result;
        }
        await AuditAsync(AuditActions.RestoreRequestApplyStarted, changed, ("conflicts", resolutions.Count.ToString(CultureInfo.InvariantCulture)));
        var id = changed.Id;
        jobs.Enqueue<RestoreRequestJobs>(j => j.ApplyAsync(id, CancellationToken.None));
        return Result.Success;
    }

    public async Task<IReadOnlyList<RestoreTargetOption>> SearchTargetsAsync(RestoreTargetKind kind, string? text, CancellationToken cancellationToken = default)
    {
        const int max = 20;
        var term = (text ?? "").Trim();
        if (term.Length > 100 || await ActingStaffAsync() is null)
        {
            return [];
        }
        var lower = term.ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return kind switch
        {
            RestoreTargetKind.Member => [.. (await db.Members.AsNoTracking()
                .Where(m => term == "" || m.NormalizedEmail.Contains(lower) || m.DisplayName.Contains(term))
                .OrderBy(m => m.NormalizedEmail).Take(max).Select(m => new { m.Id, m.Email, m.DisplayName }).ToListAsync(cancellationToken))
                .Select(m => new RestoreTargetOption(kind, m.Id.ToString("D"), m.DisplayName + " <" + m.Email + ">"))],
            RestoreTargetKind.MemberGroup => [.. (await db.MemberGroups.AsNoTracking()
                .Where(g => term == "" || g.NameJa.Contains(term) || g.NameEn.Contains(term))
                .OrderBy(g => g.NameEn).Take(max).Select(g => new { g.Id, g.NameJa, g.NameEn }).ToListAsync(cancellationToken))
                .Select(g => new RestoreTargetOption(kind, g.Id.ToString("D"), g.NameEn + " / " + g.NameJa))],
            RestoreTargetKind.ContentType => [.. (await db.ContentTypes.AsNoTracking()
                .Where(t => term == "" || t.ApiId.Contains(term) || t.Name.Contains(term))
                .OrderBy(t => t.ApiId).Take(max).Select(t => new { t.ApiId, t.Name }).ToListAsync(cancellationToken))
                .Select(t => new RestoreTargetOption(kind, t.ApiId, t.Name + " (" + t.ApiId + ")"))],
            RestoreTargetKind.ContentItem => [.. (await db.ContentItems.AsNoTracking()
                .Where(i => term == "" || i.Title.Contains(term) || i.Slug.Contains(term))
                .OrderBy(i => i.Title).Take(max).Select(i => new { i.Id, i.Title, i.TypeApiId }).ToListAsync(cancellationToken))
                .Select(i => new RestoreTargetOption(kind, i.Id.ToString("D"), i.Title + " (" + i.TypeApiId + ")"))],
            RestoreTargetKind.MediaItem => [.. (await db.MediaItems.AsNoTracking()
                .Where(m => term == "" || m.OriginalFileName.Contains(term))
                .OrderBy(m => m.OriginalFileName).Take(max).Select(m => new { m.Id, m.OriginalFileName }).ToListAsync(cancellationToken))
                .Select(m => new RestoreTargetOption(kind, m.Id.ToString("D"), m.OriginalFileName))],
            _ => [],
        };
    }

    public async Task<RestoreRequestMonthReport> GetMonthReportAsync(int year, int month, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var firstLocal = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var from = TimeZoneInfo.ConvertTimeToUtc(firstLocal, zone);
        var to = TimeZoneInfo.ConvertTimeToUtc(firstLocal.AddMonths(1), zone);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<RestoreRequest>().AsNoTracking()
            .Where(r => r.ReceivedAtUtc >= from && r.ReceivedAtUtc < to)
            .Select(r => new { r.State, r.FeeJpy, r.ApprovedAtUtc, r.AppliedAtUtc, r.ReceivedAtUtc, r.NotifiedAtUtc })
            .ToListAsync(cancellationToken);
        var approved = rows.Where(r => r.ApprovedAtUtc is not null).ToList();
        var applied = rows.Where(r => r.AppliedAtUtc is not null).ToList();
        var turnarounds = rows.Where(r => r.NotifiedAtUtc is not null).Select(r => (r.NotifiedAtUtc!.Value - r.ReceivedAtUtc).Ticks).ToList();
        return new RestoreRequestMonthReport(
            year, month, rows.Count, approved.Count, applied.Count,
            approved.Sum(r => (long)(r.FeeJpy ?? 0)), applied.Sum(r => (long)(r.FeeJpy ?? 0)),
            turnarounds.Count == 0 ? null : TimeSpan.FromTicks((long)turnarounds.Average()));
    }

    public async Task<RestoreRequestSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<RestoreRequestSettings>().AsNoTracking().FirstOrDefaultAsync(cancellationToken)
            ?? new RestoreRequestSettings { FeeJpy = options.Value.DefaultFeeJpy };
    }

    public async Task<Result> SaveSettingsAsync(RestoreRequestSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var actor = await auditContext.GetActorAsync();
        if (actor.UserId is null || !actor.Roles.Contains(StaffRoles.Administrator, StringComparer.Ordinal))
        {
            return Result.Forbidden(RestoreRequestMessages.Get("Settings.AdministratorsOnly"));
        }
        var errors = new List<FieldError>();
        if (settings.FeeJpy is < 0 or > RestoreRequest.MaxFeeJpy)
        {
            errors.Add(new FieldError(nameof(settings.FeeJpy), RestoreRequestMessages.Get("Settings.Fee")));
        }
        if (settings.ApprovalLinkDays is < RestoreRequestSettings.MinApprovalLinkDays or > RestoreRequestSettings.MaxApprovalLinkDays)
        {
            errors.Add(new FieldError(nameof(settings.ApprovalLinkDays), RestoreRequestMessages.Get("Settings.LinkDays")));
        }
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<RestoreRequestSettings>().FirstOrDefaultAsync(cancellationToken);
        var before = row is null ? new RestoreRequestSettings { FeeJpy = options.Value.DefaultFeeJpy } : new RestoreRequestSettings { FeeJpy = row.FeeJpy, ApprovalLinkDays = row.ApprovalLinkDays };
        if (row is null)
        {
            row = new RestoreRequestSettings();
            db.Add(row);
        }
        row.FeeJpy = settings.FeeJpy;
        row.ApprovalLinkDays = settings.ApprovalLinkDays;
        await db.SaveChangesAsync(cancellationToken);
        var changes = new List<FieldChange>();
        if (before.FeeJpy != row.FeeJpy)
        {
            changes.Add(new FieldChange("FeeJpy", before.FeeJpy.ToString(CultureInfo.InvariantCulture), row.FeeJpy.ToString(CultureInfo.InvariantCulture)));
        }
        if (before.ApprovalLinkDays != row.ApprovalLinkDays)
        {
            changes.Add(new FieldChange("ApprovalLinkDays", before.ApprovalLinkDays.ToString(CultureInfo.InvariantCulture), row.ApprovalLinkDays.ToString(CultureInfo.InvariantCulture)));
        }
        if (changes.Count > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.RestoreRequestSettingsChanged, AuditEntityTypes.RestoreRequestSettings, "1",
                AuditParameters.Of(("fields", string.Join(",", changes.Select(c => c.Field)))), changes: changes), cancellationToken);
        }
        return Result.Success;
    }

    private static RestoreApprovalView View(RestoreRequest r) =>
        new(r.Reference, r.CustomerName, r.FeeJpy ?? 0, r.PromisedAtUtc ?? r.ReceivedAtUtc, r.ContactLanguage);

    private static async Task<RestoreRequest?> FindByTokenAsync(KurocoDbContext db, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }
        var hash = MemberSecrets.Hash(token);
        return await db.Set<RestoreRequest>().FirstOrDefaultAsync(r => r.ApprovalTokenHash == hash, cancellationToken);
    }

    /// <summary>Loads the request, applies one transition, saves with the version check.</summary>
    private async Task<Result> ChangeAsync(string reference, Func<RestoreRequest, Result> transition, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = string.IsNullOrWhiteSpace(reference) || reference.Length > RestoreRequest.ReferenceMaxLength
            ? null
            : await db.Set<RestoreRequest>().FirstOrDefaultAsync(r => r.Reference == reference, cancellationToken);
        if (request is null)
        {
            return Result.NotFound(RestoreRequestMessages.Get("Request.NotFound"));
        }
        var result = transition(request);
        if (!result.Succeeded)
        {
            return result;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result.Conflict(RestoreRequestMessages.Get("Request.Changed"));
        }
        return Result.Success;
    }

    /// <summary>
    /// The signed-in staff member working on restore requests (SupportStaff or Administrator), or null: the pages check the
    /// role too, this keeps any other caller (a component, a job, an API) from changing a request.
    /// </summary>
    private async Task<RestoreRequestActor?> ActingStaffAsync()
    {
        var actor = await auditContext.GetActorAsync();
        return actor.UserId is not null && actor.Roles.Any(r => r is StaffRoles.SupportStaff or StaffRoles.Administrator)
            ? new RestoreRequestActor(actor.UserId, actor.Name)
            : null;
    }

    private static Result Forbidden() => Result.Forbidden(RestoreRequestMessages.Get("Request.Forbidden"));

    private Task AuditAsync(string action, RestoreRequest request, params (string Name, string? Value)[] parameters) =>
        audit.WriteAsync(new AuditRecord(action, AuditEntityTypes.RestoreRequest, request.Reference,
            AuditParameters.Of([("reference", request.Reference), .. parameters])));
}
