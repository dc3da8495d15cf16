using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kuroco.Core.Monitoring;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>
/// The sampler's last round as observable gauges of the meter <see cref="MonitoringServices.MeterName"/>
/// ("kuroco.monitoring.db.latency-ms" …), so OTLP and Prometheus see the same figures as the console.
/// </summary>
public sealed class MonitoringMeter : IDisposable
{
    private readonly ConcurrentDictionary<string, double> latest = new(StringComparer.Ordinal);
    private readonly Meter meter;

    public MonitoringMeter(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        meter = meters.Create(MonitoringServices.MeterName);
        foreach (var (signal, _) in MonitoringSignalCatalog.All)
        {
            meter.CreateObservableGauge("kuroco.monitoring." + signal, () => Observe(signal));
        }
    }

    public void Update(IReadOnlyList<MonitoringSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var sample in samples)
        {
            latest[sample.Signal] = sample.Value;
        }
    }

    public void Dispose() => meter.Dispose();

    private IEnumerable<Measurement<double>> Observe(string signal) =>
        latest.TryGetValue(signal, out var value) ? [new Measurement<double>(value)] : [];
}
