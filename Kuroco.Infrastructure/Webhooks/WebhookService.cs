using System.Globalization;
using FluentValidation;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>
/// Subscriptions, the delivery log and the host allowlist. Targets are checked against the SSRF rule
/// on every save; every change is audited with before and after — never with the secret. Each call
/// uses its own DbContext (a circuit's components may call concurrently, and never see stale rows).
/// </summary>
internal sealed class WebhookService(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<WebhookSubscriptionRequest> validator,
    WebhookSecrets secrets,
    IWebhookHostAllowlist allowlist,
    IWebhookHostResolver resolver,
    IBackgroundJobClient jobs,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IWebhookService
{
    private static readonly WebhookAllowedHostsValidator HostsValidator = new();

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var read = await contexts.CreateDbContextAsync(cancellationToken);
        return await read.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
    }

    public async Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var read = await contexts.CreateDbContextAsync(cancellationToken);
        return await read.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
    }

    public async Task<Result<WebhookSecretIssued>> CreateAsync(WebhookSubscriptionRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(request);
        var cleaned = Clean(request);
        if (await CheckAsync(cleaned, null, cancellationToken) is { } refused)
        {
            return refused.As<WebhookSecretIssued>();
        }
        var actor = await auditContext.GetActorAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSecrets.Generate();
        var subscription = new WebhookSubscription
        {
            Id = Guid.NewGuid(),
            ProtectedSecret = secrets.Protect(secret),
            CreatedAtUtc = now,
            CreatedBy = actor.Name,
        };
        Apply(subscription, cleaned, actor.Name, now);
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.WebhookCreated, AuditEntityTypes.Webhook, subscription.Id.ToString(),
            Named(subscription),
            AuditOutcome.Success, Changes(null, subscription)), cancellationToken);
        return Result.Ok(new WebhookSecretIssued(subscription.Id, secret));
    }

    public async Task<Result> UpdateAsync(Guid id, WebhookSubscriptionRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(request);
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Result.NotFound(CoreMessages.Get("Webhook.NotFound"));
        }
        var cleaned = Clean(request);
        if (await CheckAsync(cleaned, subscription, cancellationToken) is { } refused)
        {
            return refused;
        }
        var before = Snapshot(subscription);
        var actor = await auditContext.GetActorAsync();
        Apply(subscription, cleaned, actor.Name, clock.GetUtcNow().UtcDateTime);
        var changes = Changes(before, subscription);
        if (changes.Count == 0)
        {
            return Result.Success;
        }
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.WebhookUpdated, AuditEntityTypes.Webhook, id.ToString(),
            Named(subscription), AuditOutcome.Success, changes), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Result.NotFound(CoreMessages.Get("Webhook.NotFound"));
        }
        if (subscription.Enabled == enabled)
        {
            return Result.Success;
        }
        var actor = await auditContext.GetActorAsync();
        subscription.Enabled = enabled;
        subscription.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        subscription.UpdatedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(enabled ? AuditActions.WebhookEnabled : AuditActions.WebhookDisabled, AuditEntityTypes.Webhook, id.ToString(),
            Named(subscription), AuditOutcome.Success,
            [new FieldChange("Enabled", (!enabled).ToString(), enabled.ToString())]), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Result.NotFound(CoreMessages.Get("Webhook.NotFound"));
        }
        var changes = Changes(Snapshot(subscription), null);
        db.WebhookSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.WebhookDeleted, AuditEntityTypes.Webhook, id.ToString(),
            Named(subscription), AuditOutcome.Success, changes), cancellationToken);
        return Result.Success;
    }

    public async Task<Result<WebhookSecretIssued>> RotateSecretAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Result<WebhookSecretIssued>.NotFound(CoreMessages.Get("Webhook.NotFound"));
        }
        var actor = await auditContext.GetActorAsync();
        var secret = WebhookSecrets.Generate();
        subscription.ProtectedSecret = secrets.Protect(secret);
        subscription.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        subscription.UpdatedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.WebhookSecretRotated, AuditEntityTypes.Webhook, id.ToString(),
            Named(subscription),
            AuditOutcome.Success, [new FieldChange("Secret", "(hidden)", "(new, hidden)")]), cancellationToken);
        return Result.Ok(new WebhookSecretIssued(id, secret));
    }

    public async Task<Result<Guid>> SendTestAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Result<Guid>.NotFound(CoreMessages.Get("Webhook.NotFound"));
        }
        var now = clock.GetUtcNow();
        var eventId = Guid.NewGuid();
        var e = new WebhookEvent(WebhookEventTypes.Test, subscription.ContentType, Guid.Empty, null, now,
            new Dictionary<string, object?> { ["message"] = "This is a test event sent from the Kuroco console." });
        var delivery = WebhookDispatcher.NewDelivery(id, eventId, WebhookEventTypes.Test, subscription.ContentType, null, WebhookPayload.Build(eventId, e), now.UtcDateTime);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        WebhookDeliveryJob.EnqueueFirstAttempt(jobs, delivery.Id);
        await audit.WriteAsync(new AuditRecord(AuditActions.WebhookTestSent, AuditEntityTypes.Webhook, id.ToString(),
            Named(subscription, ("delivery", delivery.Id.ToString()))), cancellationToken);
        return Result.Ok(delivery.Id);
    }

    public async Task<Result<Guid>> RedeliverAsync(Guid deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var failed = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (failed is null)
        {
            return Result<Guid>.NotFound(CoreMessages.Get("Webhook.NotFound"));
        }
        if (failed.Status != WebhookDeliveryStatus.Failed)
        {
            return Result<Guid>.Conflict(CoreMessages.Get("Webhook.DeliveryNotFailed"));
        }
        var again = WebhookDispatcher.NewDelivery(failed.SubscriptionId, failed.EventId, failed.EventType, failed.ContentType, failed.ItemId, failed.Payload, clock.GetUtcNow().UtcDateTime);
        again.RedeliveryOf = failed.Id;
        db.WebhookDeliveries.Add(again);
        await db.SaveChangesAsync(cancellationToken);
        WebhookDeliveryJob.EnqueueFirstAttempt(jobs, again.Id);
        await audit.WriteAsync(new AuditRecord(AuditActions.WebhookRedelivered, AuditEntityTypes.WebhookDelivery, again.Id.ToString(),
            AuditParameters.Of(("failed", failed.Id.ToString()), ("event", failed.EventType), ("eventId", failed.EventId.ToString()),
                ("webhook", failed.SubscriptionId.ToString()))), cancellationToken);
        return Result.Ok(again.Id);
    }

    public async Task<WebhookDeliveryPage> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var read = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = read.WebhookDeliveries.AsNoTracking().AsQueryable();
        if (query.SubscriptionId is { } subscriptionId)
        {
            rows = rows.Where(d => d.SubscriptionId == subscriptionId);
        }
        if (query.Status is { } status)
        {
            rows = rows.Where(d => d.Status == status);
        }
        if (!string.IsNullOrEmpty(query.EventType))
        {
            rows = rows.Where(d => d.EventType == query.EventType);
        }
        var pageSize = Math.Clamp(query.PageSize, 1, WebhookDeliveryQuery.MaxPageSize);
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows
            .OrderByDescending(d => d.CreatedAtUtc)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .Join(read.WebhookSubscriptions, d => d.SubscriptionId, s => s.Id, (d, s) => new { d, s.Name, s.TargetUrl })
            .ToListAsync(cancellationToken);
        return new WebhookDeliveryPage([.. items.Select(x => new WebhookDeliveryView(x.d, x.Name, x.TargetUrl))], total);
    }

    public async Task<WebhookDeliveryView?> FindDeliveryAsync(Guid deliveryId, CancellationToken cancellationToken = default)
    {
        await using var read = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await read.WebhookDeliveries.AsNoTracking().Where(d => d.Id == deliveryId)
            .Join(read.WebhookSubscriptions, d => d.SubscriptionId, s => s.Id, (d, s) => new { d, s.Name, s.TargetUrl })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new WebhookDeliveryView(row.d, row.Name, row.TargetUrl);
    }

    public async Task<IReadOnlyList<WebhookAllowedHostEntry>> ListAllowedHostsAsync(CancellationToken cancellationToken = default)
    {
        await using var read = await contexts.CreateDbContextAsync(cancellationToken);
        return await read.WebhookAllowedHosts.AsNoTracking().OrderBy(h => h.Host)
            .Select(h => new WebhookAllowedHostEntry(h.Host, h.Comment)).ToListAsync(cancellationToken);
    }

    public async Task<Result> SaveAllowedHostsAsync(IReadOnlyList<WebhookAllowedHostEntry> entries, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(entries);
        IReadOnlyList<WebhookAllowedHostEntry> cleaned = [.. entries
            .Select(e => new WebhookAllowedHostEntry(WebhookAddressRules.NormalizeHost(e.Host ?? ""), string.IsNullOrWhiteSpace(e.Comment) ? null : e.Comment.Trim()))
            .OrderBy(e => e.Host, StringComparer.Ordinal)];
        var validation = await HostsValidator.ValidateAsync(cleaned, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        var existing = await db.WebhookAllowedHosts.OrderBy(h => h.Host).ToListAsync(cancellationToken);
        var before = existing.Select(h => new WebhookAllowedHostEntry(h.Host, h.Comment)).ToList();
        if (before.SequenceEqual(cleaned))
        {
            return Result.Success;
        }
        var actor = await auditContext.GetActorAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        db.WebhookAllowedHosts.RemoveRange(existing);
        await db.SaveChangesAsync(cancellationToken);
        db.WebhookAllowedHosts.AddRange(cleaned.Select(e => new WebhookAllowedHost { Host = e.Host, Comment = e.Comment, UpdatedAtUtc = now, UpdatedBy = actor.Name }));
        await db.SaveChangesAsync(cancellationToken);
        allowlist.Invalidate();
        await audit.WriteAsync(new AuditRecord(AuditActions.WebhookAllowedHostsChanged, AuditEntityTypes.WebhookAllowedHosts, null,
            AuditParameters.Of(("before", before.Count.ToString(CultureInfo.InvariantCulture)), ("after", cleaned.Count.ToString(CultureInfo.InvariantCulture))),
            AuditOutcome.Success,
            [new FieldChange("AllowedHosts", Describe(before), Describe(cleaned))]), cancellationToken);
        return Result.Success;
    }

    /// <summary>Shape rules, then http only for allowlisted hosts, then the SSRF address rule (with DNS); null when the request may be saved.</summary>
    private async Task<Result?> CheckAsync(WebhookSubscriptionRequest request, WebhookSubscription? existing, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        var uri = new Uri(request.TargetUrl, UriKind.Absolute);
        var host = WebhookAddressRules.NormalizeHost(uri.IdnHost);
        var allowlisted = await allowlist.IsAllowedAsync(host, cancellationToken);
        if (uri.Scheme == Uri.UriSchemeHttp && !allowlisted)
        {
            return TargetRefused("Webhook.HttpNotAllowed");
        }
        var verdict = await WebhookTargetGuard.CheckAsync(uri, allowlist, resolver, cancellationToken);
        if (verdict == WebhookTargetVerdict.Allowed)
        {
            return null;
        }
        if (verdict == WebhookTargetVerdict.ForbiddenAddress)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.WebhookTargetRefused, AuditEntityTypes.Webhook, existing?.Id.ToString(),
                AuditParameters.Of(("host", host), ("name", request.Name)), AuditOutcome.Denied), cancellationToken);
            return TargetRefused("Webhook.AddressForbidden");
        }
        return TargetRefused("Webhook.Unresolvable");
    }

    private static Result TargetRefused(string messageKey) =>
        Result.Invalid([new FieldError(nameof(WebhookSubscriptionRequest.TargetUrl), CoreMessages.Get(messageKey))]);

    private static WebhookSubscriptionRequest Clean(WebhookSubscriptionRequest request) => new()
    {
        Name = (request.Name ?? "").Trim(),
        TargetUrl = (request.TargetUrl ?? "").Trim(),
        ContentType = string.IsNullOrWhiteSpace(request.ContentType) ? WebhookSubscription.AllContentTypes : request.ContentType.Trim(),
        Events = [.. WebhookEventTypes.All.Where(e => request.Events?.Contains(e) == true)
            .Concat((request.Events ?? []).Where(e => !WebhookEventTypes.IsKnown(e)))],
        Enabled = request.Enabled,
    };

    private static void Apply(WebhookSubscription subscription, WebhookSubscriptionRequest request, string actor, DateTime now)
    {
        subscription.Name = request.Name;
        subscription.TargetUrl = request.TargetUrl;
        subscription.ContentType = request.ContentType;
        subscription.Events = string.Join(',', request.Events);
        subscription.Enabled = request.Enabled;
        subscription.UpdatedAtUtc = now;
        subscription.UpdatedBy = actor;
    }

    private static WebhookSubscription Snapshot(WebhookSubscription s) => new()
    {
        Name = s.Name,
        TargetUrl = s.TargetUrl,
        ContentType = s.ContentType,
        Events = s.Events,
        Enabled = s.Enabled,
    };

    /// <summary>What an auditor sees: the visible settings only, never the secret.</summary>
    private static List<FieldChange> Changes(WebhookSubscription? before, WebhookSubscription? after)
    {
        var changes = new List<FieldChange>();
        void Add(string field, Func<WebhookSubscription, string> value)
        {
            var b = before is null ? null : value(before);
            var a = after is null ? null : value(after);
            if (!string.Equals(b, a, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, b, a));
            }
        }
        Add("Name", s => s.Name);
        Add("TargetUrl", s => s.TargetUrl);
        Add("ContentType", s => s.ContentType);
        Add("Events", s => s.Events);
        Add("Enabled", s => s.Enabled.ToString());
        return changes;
    }

    /// <summary>The parameters naming a webhook in its audit entries: its name and the host it posts to (the full address is in the changes).</summary>
    private static Dictionary<string, string?> Named(WebhookSubscription subscription, params ReadOnlySpan<(string Name, string? Value)> more)
    {
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = subscription.Name,
            ["host"] = Uri.TryCreate(subscription.TargetUrl, UriKind.Absolute, out var uri) ? uri.Host : subscription.TargetUrl,
        };
        foreach (var (name, value) in more)
        {
            parameters[name] = value;
        }
        return parameters;
    }

    private static string Describe(IReadOnlyList<WebhookAllowedHostEntry> entries) =>
        entries.Count == 0 ? "(none)" : string.Join("; ", entries.Select(e => e.ToString()));
}
