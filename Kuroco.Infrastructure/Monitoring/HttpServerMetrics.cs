using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>
/// Listens to ASP.NET Core's own <c>http.server.request.duration</c> histogram (meter <c>Microsoft.AspNetCore.Hosting</c>)
/// and sums it between two sampling rounds: request count, 5xx count and the durations for the 95th percentile.
/// </summary>
public sealed class HttpServerMetrics : IDisposable
{
    public const string MeterName = "Microsoft.AspNetCore.Hosting";
    public const string InstrumentName = "http.server.request.duration";

    /// <summary>Durations kept per round for the percentile.</summary>
    private const int MaxDurations = 20_000;

    private readonly MeterListener listener = new();
    private readonly Lock gate = new();
    private List<double> durations = new(256);
    private long requests;
    private long errors;
    private long lastTimestamp = Stopwatch.GetTimestamp();

    public HttpServerMetrics()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == InstrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>(OnMeasurement);
        listener.Start();
    }

    /// <summary>Counts one request (also what the listener calls).</summary>
    public void Record(double seconds, int statusCode)
    {
        lock (gate)
        {
            requests++;
            if (statusCode >= 500)
            {
                errors++;
            }
            if (durations.Count < MaxDurations)
            {
                durations.Add(seconds);
            }
            else
            {
                // Past the cap, newer durations overwrite older ones round-robin.
                durations[(int)(requests % MaxDurations)] = seconds;
            }
        }
    }

    /// <summary>The figures since the previous call (per second over the real time elapsed), then starts again.</summary>
    public HttpServerSnapshot TakeSnapshot()
    {
        List<double> taken;
        long count;
        long failed;
        double elapsed;
        lock (gate)
        {
            taken = durations;
            count = requests;
            failed = errors;
            durations = new List<double>(Math.Max(256, taken.Count));
            requests = 0;
            errors = 0;
            var now = Stopwatch.GetTimestamp();
            elapsed = Stopwatch.GetElapsedTime(lastTimestamp, now).TotalSeconds;
            lastTimestamp = now;
        }
        double? p95 = null;
        if (taken.Count > 0)
        {
            taken.Sort();
            var index = (int)Math.Ceiling(0.95 * taken.Count) - 1;
            p95 = taken[Math.Clamp(index, 0, taken.Count - 1)] * 1000;
        }
        elapsed = Math.Max(elapsed, 0.001);
        return new HttpServerSnapshot(count / elapsed, failed / elapsed, p95);
    }

    public void Dispose() => listener.Dispose();

    private void OnMeasurement(Instrument instrument, double measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var status = 0;
        foreach (var tag in tags)
        {
            if (tag.Key == "http.response.status_code")
            {
                status = tag.Value switch
                {
                    int i => i,
                    long l => (int)l,
                    string s when int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
                    _ => 0,
                };
                break;
            }
        }
        Record(measurement, status);
    }
}

/// <summary>Requests and 5xx answers per second, and the 95th percentile of durations in ms (null when no request came).</summary>
public sealed record HttpServerSnapshot(double RequestsPerSecond, double ErrorsPerSecond, double? P95Milliseconds);
