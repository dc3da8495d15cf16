using Kuroco.Core.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>
/// The sampler's loop: every Monitoring:SampleInterval (a PeriodicTimer on the app's TimeProvider) one round is taken,
/// appended to the sample store and handed to the alert evaluator. A failing round is logged; the loop goes on.
/// </summary>
public sealed partial class MonitoringSamplerService(
    MonitoringSampler sampler,
    IMonitoringSampleStore store,
    MonitoringMeter meter,
    IServiceScopeFactory scopes,
    IOptions<MonitoringOptions> options,
    TimeProvider clock,
    ILogger<MonitoringSamplerService> logger) : BackgroundService
{
    private PeriodicTimer? timer;

    /// <summary>Starts the interval at start-up (ExecuteAsync runs on a pool thread, possibly later).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            timer = new PeriodicTimer(options.Value.SampleInterval, clock);
        }
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (timer is null)
        {
            return;
        }
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunRoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One round: sample, store, evaluate the alert rules. Never throws except on cancellation.</summary>
    public async Task<IReadOnlyList<MonitoringSample>> RunRoundAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<MonitoringSample> samples = [];
        try
        {
            samples = await sampler.SampleAsync(cancellationToken);
            meter.Update(samples);
            await store.AppendAsync(samples, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRoundFailed(logger, ex);
        }
        if (samples.Count == 0)
        {
            return samples;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateAsync(samples, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogEvaluationFailed(logger, ex);
        }
        return samples;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitoring: a sampling round failed.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitoring: the alert rules could not be evaluated.")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception);
}
