namespace Kuroco.Core.Monitoring;

/// <summary>What kind of number a signal is, for its axis and its label.</summary>
public enum SignalUnit
{
    /// <summary>1 up, 0 down.</summary>
    UpDown,
    Milliseconds,
    Bytes,
    Percent,
    PerSecond,
}

/// <summary>Every signal the sampler records (<see cref="MonitoringSignals"/>), in display order, with its unit.</summary>
public static class MonitoringSignalCatalog
{
    public static IReadOnlyList<(string Signal, SignalUnit Unit)> All { get; } =
    [
        (MonitoringSignals.AppUp, SignalUnit.UpDown),
        (MonitoringSignals.DatabaseUp, SignalUnit.UpDown),
        (MonitoringSignals.DatabaseLatency, SignalUnit.Milliseconds),
        (MonitoringSignals.JobStorageUp, SignalUnit.UpDown),
        (MonitoringSignals.JobStorageLatency, SignalUnit.Milliseconds),
        (MonitoringSignals.MailUp, SignalUnit.UpDown),
        (MonitoringSignals.BackupStorageUp, SignalUnit.UpDown),
        (MonitoringSignals.ProbeConsole, SignalUnit.Milliseconds),
        (MonitoringSignals.ProbeDeliveryApi, SignalUnit.Milliseconds),
        (MonitoringSignals.ProbeHealth, SignalUnit.Milliseconds),
        (MonitoringSignals.ProcessMemory, SignalUnit.Bytes),
        (MonitoringSignals.MachineMemoryAvailable, SignalUnit.Bytes),
        (MonitoringSignals.Cpu, SignalUnit.Percent),
        (MonitoringSignals.DiskFree, SignalUnit.Bytes),
        (MonitoringSignals.RequestRate, SignalUnit.PerSecond),
        (MonitoringSignals.ErrorRate, SignalUnit.PerSecond),
        (MonitoringSignals.LatencyP95, SignalUnit.Milliseconds),
    ];

    public static bool IsKnown(string? signal) => signal is not null && All.Any(s => string.Equals(s.Signal, signal, StringComparison.Ordinal));

    public static SignalUnit UnitOf(string signal) =>
        All.FirstOrDefault(s => string.Equals(s.Signal, signal, StringComparison.Ordinal)) is { Signal: not null } found ? found.Unit : SignalUnit.Milliseconds;
}

/// <summary>A signal's name and values as people read them, in a given language.</summary>
public static class SignalText
{
    public static string Name(string signal, System.Globalization.CultureInfo culture) =>
        MonitoringMessages.GetIn(culture, "Signal." + signal);

    /// <summary>A value with its unit: "up"/"down", "12.5 ms", "512.0 MiB", "3.2 %", "4.00/s".</summary>
    public static string Value(string signal, double value, System.Globalization.CultureInfo culture) =>
        MonitoringSignalCatalog.UnitOf(signal) switch
        {
            SignalUnit.UpDown => MonitoringMessages.GetIn(culture, value >= 0.5 ? "Value.Up" : "Value.Down"),
            SignalUnit.Bytes => MonitoringMessages.FormatIn(culture, "Value.MiB", value / 1024 / 1024),
            SignalUnit.Percent => MonitoringMessages.FormatIn(culture, "Value.Percent", value),
            SignalUnit.PerSecond => MonitoringMessages.FormatIn(culture, "Value.PerSecond", value),
            _ => MonitoringMessages.FormatIn(culture, "Value.Milliseconds", value),
        };

    /// <summary>A threshold as entered: bytes as MiB, others as the plain number.</summary>
    public static string Threshold(string signal, double threshold, System.Globalization.CultureInfo culture) =>
        MonitoringSignalCatalog.UnitOf(signal) == SignalUnit.UpDown
            ? threshold.ToString("0.##", culture)
            : Value(signal, threshold, culture);

    public static string Severity(AlertSeverity severity, System.Globalization.CultureInfo culture) =>
        MonitoringMessages.GetIn(culture, "Severity." + severity);
}
