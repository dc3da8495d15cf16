namespace Kuroco.Core.Monitoring;

/// <summary>What the evaluator does with a rule after a sampling round.</summary>
public enum AlertDecision
{
    /// <summary>Nothing changes (not holding long enough yet, still holding and already raised, or no value this round).</summary>
    None,
    /// <summary>The rule has held for its duration and no alert is open: raise one.</summary>
    Raise,
    /// <summary>The rule stopped holding and its alert is open: resolve it.</summary>
    Resolve,
}

/// <summary>
/// Remembers since when each rule has held and decides, round by round, when an alert is raised (once, after the rule
/// held for its whole duration) and when it is resolved. Whether an alert is open comes from the caller (stored), so a
/// raised alert is never raised twice. The state lives in memory; the evaluator saves it (<see cref="Snapshot"/>) to an
/// <see cref="IAlertHoldingStore"/> and <see cref="Restore"/>s it after a restart, so durations carry on.
/// </summary>
public sealed class AlertConditionTracker
{
    private readonly Dictionary<Guid, DateTimeOffset> holdingSince = [];
    private readonly Lock gate = new();
    private bool restored;

    /// <param name="rule">The rule.</param>
    /// <param name="value">The signal's value in this round; null when the round did not measure it.</param>
    /// <param name="nowUtc">The round's time.</param>
    /// <param name="alertOpen">True when an alert of this rule is open.</param>
    public AlertDecision Evaluate(AlertRule rule, double? value, DateTimeOffset nowUtc, bool alertOpen)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (gate)
        {
            if (!rule.Enabled)
            {
                holdingSince.Remove(rule.Id);
                return alertOpen ? AlertDecision.Resolve : AlertDecision.None;
            }
            if (value is not { } v)
            {
                return AlertDecision.None;
            }
            if (!rule.Matches(v))
            {
                holdingSince.Remove(rule.Id);
                return alertOpen ? AlertDecision.Resolve : AlertDecision.None;
            }
            if (!holdingSince.TryGetValue(rule.Id, out var since))
            {
                since = nowUtc;
                holdingSince[rule.Id] = since;
            }
            return !alertOpen && nowUtc - since >= rule.Duration ? AlertDecision.Raise : AlertDecision.None;
        }
    }

    /// <summary>True once <see cref="Restore"/> ran (the saved state is loaded once per process).</summary>
    public bool Restored
    {
        get
        {
            lock (gate)
            {
                return restored;
            }
        }
    }

    /// <summary>Takes over the saved state (rules that held before a restart keep their start); later changes win.</summary>
    public void Restore(IReadOnlyDictionary<Guid, DateTimeOffset> saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        lock (gate)
        {
            foreach (var (ruleId, since) in saved)
            {
                holdingSince.TryAdd(ruleId, since);
            }
            restored = true;
        }
    }

    /// <summary>The current state: every rule that holds, with since when.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> Snapshot()
    {
        lock (gate)
        {
            return new Dictionary<Guid, DateTimeOffset>(holdingSince);
        }
    }

    /// <summary>Since when a rule has held, if it holds.</summary>
    public DateTimeOffset? HoldingSince(Guid ruleId)
    {
        lock (gate)
        {
            return holdingSince.TryGetValue(ruleId, out var since) ? since : null;
        }
    }

    /// <summary>Forgets rules that no longer exist.</summary>
    public void Retain(IEnumerable<Guid> ruleIds)
    {
        var keep = ruleIds.ToHashSet();
        lock (gate)
        {
            foreach (var id in holdingSince.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                holdingSince.Remove(id);
            }
        }
    }
}
