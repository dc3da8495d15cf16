using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>
/// One attempt of one delivery. Idempotent per (delivery, attempt): the attempt is claimed with a
/// conditional update, so a job Hangfire runs twice sends once. A failure schedules the next attempt
/// after the configured back-off (1 min, 5 min, 30 min, 2 h, 6 h); after the last one the delivery
/// is Failed and an audit entry reports it.
/// </summary>
public sealed partial class WebhookDeliveryJob(
    KurocoDbContext db,
    IHttpClientFactory httpClients,
    WebhookSecrets secrets,
    IWebhookHostAllowlist allowlist,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<WebhookDeliveryJob> logger)
{
    /// <summary>An attempt that started this long ago and never finished (process died) may be taken over.</summary>
    private static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(5);

    public static void EnqueueFirstAttempt(IBackgroundJobClient jobs, Guid deliveryId)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.Enqueue<WebhookDeliveryJob>(j => j.ExecuteAsync(deliveryId, 1, CancellationToken.None));
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task ExecuteAsync(Guid deliveryId, int attempt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var staleBefore = now.UtcDateTime - StaleClaim;
        var claimed = await db.WebhookDeliveries
            .Where(d => d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Pending
                && (d.Attempts == attempt - 1 || (d.Attempts == attempt && d.LastAttemptAtUtc < staleBefore)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Attempts, attempt)
                .SetProperty(d => d.LastAttemptAtUtc, now.UtcDateTime)
                .SetProperty(d => d.NextAttemptAtUtc, (DateTime?)null), cancellationToken);
        if (claimed == 0)
        {
            return;
        }
        var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == deliveryId, cancellationToken);
        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        var settings = options.Value;
        var timestamp = now.ToUnixTimeSeconds();
        delivery.LastTimestamp = timestamp;
        string? failure;
        if (subscription is null)
        {
            failure = "The subscription no longer exists.";
            await FinishAsync(delivery, failure, final: true, settings, now);
            return;
        }
        try
        {
            failure = await SendAsync(delivery, subscription, timestamp, settings, cancellationToken);
        }
        catch (CryptographicException)
        {
            failure = "The signing secret cannot be read (the Data Protection keys changed): rotate the secret.";
        }
        if (failure is null)
        {
            delivery.Status = WebhookDeliveryStatus.Succeeded;
            delivery.LastError = null;
            delivery.CompletedAtUtc = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }
        await FinishAsync(delivery, failure, final: attempt > settings.RetryDelays.Count, settings, now);
    }

    /// <summary>Null on a 2xx answer, else what went wrong.</summary>
    private async Task<string?> SendAsync(WebhookDelivery delivery, WebhookSubscription subscription, long timestamp, WebhookOptions settings, CancellationToken cancellationToken)
    {
        var target = new Uri(subscription.TargetUrl, UriKind.Absolute);
        if (target.Scheme != Uri.UriSchemeHttps && !await allowlist.IsAllowedAsync(target.IdnHost, cancellationToken))
        {
            // The host left the allowlist after the save: plain http is no longer allowed.
            return $"Refused: plain http:// is allowed only for an allowlisted host ({WebhookAddressRules.NormalizeHost(target.IdnHost)}).";
        }
        var secret = secrets.Unprotect(subscription.ProtectedSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.TargetUrl)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Kuroco-Webhooks", "1.0"));
        request.Headers.Add(WebhookSignature.IdHeader, delivery.EventId.ToString());
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, timestamp, delivery.Payload));

        var client = httpClients.CreateClient(WebhookHttp.ClientName);
        client.Timeout = TimeSpan.FromSeconds(Math.Max(1, settings.TimeoutSeconds));
        client.MaxResponseContentBufferSize = WebhookOptions.MaxResponseBytes * 4;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            delivery.LastHttpStatus = (int)response.StatusCode;
            delivery.LastResponseExcerpt = await ReadExcerptAsync(response, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"The receiver answered HTTP {(int)response.StatusCode}.";
        }
        catch (WebhookAddressRefusedException ex)
        {
            delivery.LastHttpStatus = null;
            return ex.Message;
        }
        catch (HttpRequestException ex) when (ex.InnerException is WebhookAddressRefusedException refused)
        {
            delivery.LastHttpStatus = null;
            return refused.Message;
        }
        catch (HttpRequestException ex)
        {
            delivery.LastHttpStatus = null;
            return "Request failed: " + ex.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            delivery.LastHttpStatus = null;
            return $"Timed out after {client.Timeout.TotalSeconds:0} s.";
        }
    }

    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[WebhookOptions.MaxResponseBytes];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, read);
            return text.Length == 0 ? null : Truncate(text, WebhookDelivery.ResponseExcerptMaxLength);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null;
        }
    }

    private async Task FinishAsync(WebhookDelivery delivery, string failure, bool final, WebhookOptions settings, DateTimeOffset now)
    {
        delivery.LastError = Truncate(failure, WebhookDelivery.ErrorMaxLength);
        LogFailure(logger, delivery.Id, delivery.Attempts, delivery.LastHttpStatus);
        if (final)
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            delivery.CompletedAtUtc = clock.GetUtcNow().UtcDateTime;
            delivery.NextAttemptAtUtc = null;
            await db.SaveChangesAsync(CancellationToken.None);
            await audit.WriteAsync(new AuditRecord(AuditActions.WebhookDeliveryFailed, AuditEntityTypes.WebhookDelivery, delivery.Id.ToString(),
                AuditParameters.Of(("event", delivery.EventType), ("eventId", delivery.EventId.ToString()),
                    ("attempts", delivery.Attempts.ToString(CultureInfo.InvariantCulture)), ("error", delivery.LastError),
                    ("webhook", delivery.SubscriptionId.ToString())),
                AuditOutcome.Failure) { Actor = AuditActor.System }, CancellationToken.None);
            return;
        }
        var delay = settings.RetryDelays[delivery.Attempts - 1];
        delivery.NextAttemptAtUtc = (now + delay).UtcDateTime;
        await db.SaveChangesAsync(CancellationToken.None);
        var id = delivery.Id;
        var next = delivery.Attempts + 1;
        jobs.Schedule<WebhookDeliveryJob>(j => j.ExecuteAsync(id, next, CancellationToken.None), delay);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} attempt {Attempt} failed (HTTP status {Status}).")]
    private static partial void LogFailure(ILogger logger, Guid deliveryId, int attempt, int? status);
}
