using Kuroco.Core.Monitoring;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>
/// After each sampling round: for every rule, raises an alert once when the rule has held for its duration and
/// resolves it when the rule stops holding (or is disabled or deleted). Alerts are stored (the history on the page);
/// every registered <see cref="IAlertListener"/> is told, each on its own: a failing listener is logged and the others still run.
/// Since when each rule has held is saved in the monitoring store whenever it changes and loaded on the first round after a
/// start, so a restart neither restarts a duration nor, with the stored open alerts, raises an alert twice.
/// </summary>
public sealed partial class AlertEvaluator(
    KurocoDbContext db,
    AlertConditionTracker tracker,
    IAlertHoldingStore holding,
    IEnumerable<IAlertListener> listeners,
    TimeProvider clock,
    ILogger<AlertEvaluator> logger)
{
    public async Task EvaluateAsync(IReadOnlyList<MonitoringSample> round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        var now = round.Count > 0 ? round.Max(s => s.AtUtc) : clock.GetUtcNow();
        var rules = await db.AlertRules.AsNoTracking().ToListAsync(cancellationToken);
        var open = await db.AlertRecords.Where(a => a.ResolvedAtUtc == null).ToListAsync(cancellationToken);
        if (!tracker.Restored)
        {
            tracker.Restore(await holding.LoadHoldingAsync(cancellationToken));
        }
        var before = tracker.Snapshot();
        tracker.Retain(rules.Select(r => r.Id));
        var raised = new List<AlertRaised>();
        var resolved = new List<AlertResolved>();
        foreach (var rule in rules)
        {
            var alert = open.FirstOrDefault(a => a.RuleId == rule.Id);
            var value = round.LastOrDefault(s => string.Equals(s.Signal, rule.Signal, StringComparison.Ordinal))?.Value;
            switch (tracker.Evaluate(rule, value, now, alert is not null))
            {
                case AlertDecision.Raise:
                    var record = new AlertRecord
                    {
                        Id = Guid.NewGuid(),
                        RuleId = rule.Id,
                        RuleName = rule.Name,
                        Signal = rule.Signal,
                        Comparison = rule.Comparison,
                        Severity = rule.Severity,
                        Value = value!.Value,
                        Threshold = rule.Threshold,
                        RaisedAtUtc = now.UtcDateTime,
                    };
                    db.AlertRecords.Add(record);
                    raised.Add(new AlertRaised(record.Id, rule.Id, rule.Name, rule.Signal, rule.Severity, record.Value, rule.Threshold, now));
                    break;
                case AlertDecision.Resolve:
                    alert!.ResolvedAtUtc = now.UtcDateTime;
                    resolved.Add(new AlertResolved(alert.Id, rule.Id, now));
                    break;
                default:
                    break;
            }
        }
        // An alert whose rule was deleted stops holding with it.
        foreach (var orphan in open.Where(a => rules.All(r => r.Id != a.RuleId)))
        {
            orphan.ResolvedAtUtc = now.UtcDateTime;
            resolved.Add(new AlertResolved(orphan.Id, orphan.RuleId, now));
        }
        var after = tracker.Snapshot();
        if (after.Count != before.Count || after.Any(h => !before.TryGetValue(h.Key, out var since) || since != h.Value))
        {
            await holding.SaveHoldingAsync(after, cancellationToken);
        }
        if (raised.Count == 0 && resolved.Count == 0)
        {
            return;
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var alert in raised)
        {
            LogRaised(logger, alert.RuleName, alert.Signal, alert.Value, alert.Threshold);
            await NotifyAsync(l => l.OnRaisedAsync(alert, cancellationToken));
        }
        foreach (var alert in resolved)
        {
            await NotifyAsync(l => l.OnResolvedAsync(alert, cancellationToken));
        }
    }

    private async Task NotifyAsync(Func<IAlertListener, Task> call)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await call(listener);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogListenerFailed(logger, listener.GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring: alert \"{Rule}\" raised ({Signal} = {Value}, threshold {Threshold}).")]
    private static partial void LogRaised(ILogger logger, string rule, string signal, double value, double threshold);

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitoring: the alert listener {Listener} failed.")]
    private static partial void LogListenerFailed(ILogger logger, string listener, Exception exception);
}
