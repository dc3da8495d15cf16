using System.Net.Sockets;
using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Mail;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>
/// The mail provider can be reached: with SendGrid configured, a TCP connection to its API host opens (no request, no
/// key sent); without it, mail goes to the local outbox folder, which is always "reachable".
/// </summary>
internal sealed class MailProviderHealthCheck(IOptions<SendGridOptions> sendGrid) : IHealthCheck
{
    public const string Name = "mail";
    public const string SendGridHost = "api.sendgrid.com";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!sendGrid.Value.IsConfigured)
        {
            return HealthCheckResult.Healthy("Local outbox.");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(SendGridHost, 443, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The mail provider could not be reached.");
        }
    }
}

/// <summary>Every backup store answers a listing (the local folder, S3).</summary>
internal sealed class BackupStorageHealthCheck(IEnumerable<IBackupStore> stores) : IHealthCheck
{
    public const string Name = "backup-storage";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var store in stores)
            {
                _ = await store.ListAsync(cancellationToken);
            }
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The backup storage could not be listed.");
        }
    }
}
