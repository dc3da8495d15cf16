using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Monitoring;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>The alert rules in the main database; each change validated and audited with what changed.</summary>
internal sealed class AlertRuleService(
    KurocoDbContext db,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IAlertRuleService
{
    private static readonly AlertRuleInputValidator Validator = new();

    public async Task<IReadOnlyList<AlertRule>> ListAsync(CancellationToken cancellationToken = default) =>
        (await db.AlertRules.AsNoTracking().ToListAsync(cancellationToken))
            .OrderByDescending(r => r.Severity).ThenBy(r => r.Name, StringComparer.CurrentCulture).ToList();

    public async Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(int take, CancellationToken cancellationToken = default)
    {
        var open = await db.AlertRecords.AsNoTracking().Where(a => a.ResolvedAtUtc == null)
            .OrderByDescending(a => a.RaisedAtUtc).ToListAsync(cancellationToken);
        var closed = await db.AlertRecords.AsNoTracking().Where(a => a.ResolvedAtUtc != null)
            .OrderByDescending(a => a.RaisedAtUtc).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
        return [.. open, .. closed];
    }

    public async Task<Result<Guid>> CreateAsync(AlertRuleInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cleaned = Clean(input);
        var validation = await Validator.ValidateAsync(cleaned, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation).As<Guid>();
        }
        var actor = await auditContext.GetActorAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        var rule = new AlertRule { Id = Guid.NewGuid(), CreatedAtUtc = now };
        Apply(rule, cleaned, now, actor.Name);
        db.AlertRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.AlertRuleCreated, AuditEntityTypes.AlertRule, rule.Id.ToString(),
            Parameters(rule), AuditOutcome.Success, Changes(null, rule)), cancellationToken);
        return Result.Ok(rule.Id);
    }

    public async Task<Result> UpdateAsync(Guid id, AlertRuleInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cleaned = Clean(input);
        var validation = await Validator.ValidateAsync(cleaned, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        var rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return Result.NotFound(MonitoringMessages.Get("Rule.NotFound"));
        }
        var before = Copy(rule);
        var actor = await auditContext.GetActorAsync();
        Apply(rule, cleaned, clock.GetUtcNow().UtcDateTime, actor.Name);
        var changes = Changes(before, rule);
        if (changes.Count == 0)
        {
            return Result.Success;
        }
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.AlertRuleUpdated, AuditEntityTypes.AlertRule, rule.Id.ToString(),
            Parameters(rule), AuditOutcome.Success, changes), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return Result.NotFound(MonitoringMessages.Get("Rule.NotFound"));
        }
        db.AlertRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.AlertRuleDeleted, AuditEntityTypes.AlertRule, rule.Id.ToString(),
            Parameters(rule), AuditOutcome.Success, Changes(rule, null)), cancellationToken);
        return Result.Success;
    }

    private static AlertRuleInput Clean(AlertRuleInput input) => input with { Name = (input.Name ?? "").Trim(), Signal = (input.Signal ?? "").Trim() };

    private static void Apply(AlertRule rule, AlertRuleInput input, DateTime now, string? actor)
    {
        rule.Name = input.Name;
        rule.Signal = input.Signal;
        rule.Comparison = input.Comparison;
        rule.Threshold = input.Threshold;
        rule.DurationMinutes = input.DurationMinutes;
        rule.Severity = input.Severity;
        rule.Enabled = input.Enabled;
        rule.UpdatedAtUtc = now;
        rule.UpdatedBy = actor;
    }

    private static AlertRule Copy(AlertRule r) => new()
    {
        Id = r.Id,
        Name = r.Name,
        Signal = r.Signal,
        Comparison = r.Comparison,
        Threshold = r.Threshold,
        DurationMinutes = r.DurationMinutes,
        Severity = r.Severity,
        Enabled = r.Enabled,
    };

    private static IReadOnlyDictionary<string, string?> Parameters(AlertRule rule) => AuditParameters.Of(
        ("name", rule.Name),
        ("signal", rule.Signal),
        ("condition", $"{AlertRule.Symbol(rule.Comparison)} {rule.Threshold.ToString(CultureInfo.InvariantCulture)}"),
        ("minutes", rule.DurationMinutes.ToString(CultureInfo.InvariantCulture)),
        ("severity", rule.Severity.ToString()));

    /// <summary>Field by field; a null side is "did not exist".</summary>
    private static List<FieldChange> Changes(AlertRule? before, AlertRule? after)
    {
        var changes = new List<FieldChange>();
        void Add(string field, Func<AlertRule, string> value)
        {
            var b = before is null ? null : value(before);
            var a = after is null ? null : value(after);
            if (!string.Equals(b, a, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, b, a));
            }
        }
        Add("AlertRuleName", r => r.Name);
        Add("AlertSignal", r => r.Signal);
        Add("AlertCondition", r => $"{AlertRule.Symbol(r.Comparison)} {r.Threshold.ToString(CultureInfo.InvariantCulture)}");
        Add("AlertDurationMinutes", r => r.DurationMinutes.ToString(CultureInfo.InvariantCulture));
        Add("AlertSeverity", r => r.Severity.ToString());
        Add("Enabled", r => r.Enabled ? "true" : "false");
        return changes;
    }
}
