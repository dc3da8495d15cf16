namespace Kuroco.Core.Monitoring;

/// <summary>
/// The signals the sampler records, by stable code (stored, used in alert rules and settings; never translated).
/// Liveness signals are 1 (up) or 0 (down); latencies are milliseconds; memory and disk are bytes; rates are per second.
/// </summary>
public static class MonitoringSignals
{
    public const string AppUp = "app.up";
    public const string DatabaseUp = "db.up";
    public const string DatabaseLatency = "db.latency-ms";
    public const string JobStorageUp = "jobs.up";
    public const string JobStorageLatency = "jobs.latency-ms";
    public const string MailUp = "mail.up";
    public const string BackupStorageUp = "backup-storage.up";
    public const string ProbeConsole = "probe.console-ms";
    public const string ProbeDeliveryApi = "probe.api-ms";
    public const string ProbeHealth = "probe.health-ms";
    public const string ProcessMemory = "process.memory-bytes";
    public const string MachineMemoryAvailable = "machine.memory-available-bytes";
    public const string Cpu = "cpu.percent";
    public const string DiskFree = "disk.free-bytes";
    public const string RequestRate = "http.requests-per-second";
    public const string ErrorRate = "http.5xx-per-second";
    public const string LatencyP95 = "http.p95-ms";
}

/// <summary>One measurement of one signal at one instant (UTC).</summary>
public sealed record MonitoringSample(string Signal, DateTimeOffset AtUtc, double Value);

/// <summary>How fine the stored points are: raw samples (kept 7 days), 1-minute (kept 90 days) or 1-hour aggregates (kept 13 months).</summary>
public enum SampleResolution
{
    Raw = 0,
    Minute = 1,
    Hour = 2,
}

/// <summary>A stored point: a raw sample (Min = Avg = Max, Count = 1) or an aggregate over its bucket starting at <see cref="AtUtc"/>.</summary>
public sealed record SamplePoint(DateTimeOffset AtUtc, double Min, double Avg, double Max, int Count);

/// <summary>
/// One minute of availability as the SLA counts it (kept 13 months, never downsampled): how many liveness probes of the
/// app and of the database ran in that minute and how many of them failed. Whether the minute counts as down is the SLA's
/// rule (Kuroco.Core/Sla), not the store's.
/// </summary>
public sealed record AvailabilityMinute(DateTimeOffset MinuteUtc, int Probes, int AppDown, int DatabaseDown);

/// <summary>
/// Where samples live: a store of their own (not the main database's hot tables). Implemented in
/// Kuroco.Infrastructure/Monitoring.
/// </summary>
public interface IMonitoringSampleStore
{
    /// <summary>Appends one sampling round's samples; also counts the round into its <see cref="AvailabilityMinute"/>.</summary>
    Task AppendAsync(IReadOnlyList<MonitoringSample> samples, CancellationToken cancellationToken);

    /// <summary>The points of one signal in [from, to), at the finest resolution still kept for that range unless one is asked for.</summary>
    Task<IReadOnlyList<SamplePoint>> QueryAsync(string signal, DateTimeOffset fromUtc, DateTimeOffset toUtc, SampleResolution? resolution, CancellationToken cancellationToken);

    /// <summary>The availability minutes in [from, to), oldest first (minutes with no probe are absent).</summary>
    Task<IReadOnlyList<AvailabilityMinute>> GetAvailabilityAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken);

    /// <summary>
    /// When monitoring started: the minute of the first liveness probe ever stored (kept across compaction), or null
    /// before the first. The SLA counts unprobed minutes as down only from then on.
    /// </summary>
    Task<DateTimeOffset?> GetMonitoringSinceAsync(CancellationToken cancellationToken);

    /// <summary>Downsamples raw samples older than 7 days to minutes and minutes older than 90 days to hours; deletes what is older than 13 months.</summary>
    Task CompactAsync(DateTimeOffset nowUtc, CancellationToken cancellationToken);
}

/// <summary>How serious an alert or incident is.</summary>
public enum AlertSeverity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}

/// <summary>An alert rule started to hold (raised once; deduplicated while it holds).</summary>
public sealed record AlertRaised(Guid AlertId, Guid RuleId, string RuleName, string Signal, AlertSeverity Severity, double Value, double Threshold, DateTimeOffset RaisedAtUtc);

/// <summary>An alert rule stopped holding.</summary>
public sealed record AlertResolved(Guid AlertId, Guid RuleId, DateTimeOffset ResolvedAtUtc);

/// <summary>
/// Told of every raised and resolved alert by the alert evaluator (all registered listeners, each failure logged and
/// isolated). Mail and Slack notifications are listeners; so is the incident feature, which opens an incident from an
/// alert when its setting says so.
/// </summary>
public interface IAlertListener
{
    Task OnRaisedAsync(AlertRaised alert, CancellationToken cancellationToken);

    Task OnResolvedAsync(AlertResolved alert, CancellationToken cancellationToken);
}

/// <summary>
/// Since when each alert rule has held, kept beside the samples so that a restart neither restarts a rule's duration
/// nor loses it (<see cref="AlertConditionTracker"/> keeps it in memory and the evaluator saves it when it changes).
/// </summary>
public interface IAlertHoldingStore
{
    /// <summary>Every rule that held at the last save, with the instant it started holding.</summary>
    Task<IReadOnlyDictionary<Guid, DateTimeOffset>> LoadHoldingAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the saved state with <paramref name="holding"/>.</summary>
    Task SaveHoldingAsync(IReadOnlyDictionary<Guid, DateTimeOffset> holding, CancellationToken cancellationToken);
}
