using System.Net;
using System.Text.Json;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Webhooks;

public sealed class WebhookDeliveryTests(WebhookAppFactory factory) : IClassFixture<WebhookAppFactory>
{
    [Fact]
    public async Task A_published_event_is_posted_signed_to_each_matching_subscription_and_the_signature_verifies()
    {
        factory.Resolver.Set("hooks.example", "93.184.216.34");
        factory.Receiver.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") });
        var type = "news-" + Guid.NewGuid().ToString("N")[..6];
        var (matching, secret) = await factory.CreateSubscriptionAsync("https://hooks.example/a?x=1", type, WebhookEventTypes.ContentPublished);
        var (otherType, _) = await factory.CreateSubscriptionAsync("https://hooks.example/other-type", "products", WebhookEventTypes.ContentPublished);
        var (otherEvent, _) = await factory.CreateSubscriptionAsync("https://hooks.example/other-event", type, WebhookEventTypes.ContentDeleted);
        var itemId = Guid.NewGuid();
        var occurred = new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero);

        await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookDispatcher>().EnqueueAsync(
            new WebhookEvent(WebhookEventTypes.ContentPublished, type, itemId, "hello-world", occurred, new Dictionary<string, object?> { ["title"] = "Hello" })));

        var delivery = await Eventually.GetAsync(
            () => factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookDeliveries.AsNoTracking()
                .Where(d => d.SubscriptionId == matching).ToListAsync()),
            list => list.Count == 1 && list[0].Status == WebhookDeliveryStatus.Succeeded, "the delivery succeeded");
        Assert.Equal(200, delivery[0].LastHttpStatus);
        Assert.Equal("ok", delivery[0].LastResponseExcerpt);
        Assert.Equal(1, delivery[0].Attempts);
        Assert.False(await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookDeliveries
            .AnyAsync(d => d.SubscriptionId == otherType || d.SubscriptionId == otherEvent)));

        var request = Assert.Single(factory.Receiver.Requests, r => r.Uri.AbsolutePath == "/a");
        Assert.Equal("https://hooks.example/a?x=1", request.Uri.ToString());
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var timestamp = request.Headers[WebhookSignature.TimestampHeader];
        var signature = request.Headers[WebhookSignature.SignatureHeader];
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
        // What a receiver does with the secret it was shown once:
        Assert.True(WebhookSignature.Verify(secret, timestamp, request.Body, signature, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(secret, timestamp, request.Body.Replace("Hello", "Hallo", StringComparison.Ordinal), signature, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(request.Headers[WebhookSignature.IdHeader], root.GetProperty("id").GetString());
        Assert.Equal(delivery[0].EventId.ToString(), root.GetProperty("id").GetString());
        Assert.Equal("content.published", root.GetProperty("type").GetString());
        Assert.Equal("2026-11-26T01:02:03.000Z", root.GetProperty("occurredAt").GetString());
        Assert.Equal(type, root.GetProperty("contentType").GetString());
        Assert.Equal(itemId.ToString(), root.GetProperty("item").GetProperty("id").GetString());
        Assert.Equal("hello-world", root.GetProperty("item").GetProperty("slug").GetString());
        Assert.Equal("Hello", root.GetProperty("data").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_500_answer_schedules_a_retry_after_one_minute()
    {
        factory.Resolver.Set("hooks.example", "93.184.216.34");
        var (subscription, _) = await factory.CreateSubscriptionAsync("https://hooks.example/fails");
        factory.Receiver.Respond = (r, _) => Task.FromResult(new HttpResponseMessage(
            r.RequestUri!.AbsolutePath == "/fails" ? HttpStatusCode.InternalServerError : HttpStatusCode.OK)
        { Content = new StringContent(new string('x', 100_000)) });
        var id = await factory.AddDeliveryAsync(subscription);
        var scheduledBefore = ScheduledCount();

        var before = DateTime.UtcNow;
        await factory.RunAttemptAsync(id, 1);

        var delivery = await factory.DeliveryAsync(id);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(500, delivery.LastHttpStatus);
        Assert.Contains("500", delivery.LastError, StringComparison.Ordinal);
        Assert.True(delivery.LastResponseExcerpt!.Length <= WebhookDelivery.ResponseExcerptMaxLength);
        Assert.InRange(delivery.NextAttemptAtUtc!.Value, before.AddSeconds(59), DateTime.UtcNow.AddSeconds(61));
        Assert.Equal(scheduledBefore + 1, ScheduledCount());

        // The same attempt run again (at-least-once) sends nothing more.
        var sent = factory.Receiver.Requests.Count(r => r.Uri.AbsolutePath == "/fails");
        await factory.RunAttemptAsync(id, 1);
        Assert.Equal(sent, factory.Receiver.Requests.Count(r => r.Uri.AbsolutePath == "/fails"));
    }

    [Fact]
    public async Task A_timeout_schedules_a_retry()
    {
        factory.Resolver.Set("slow.example", "93.184.216.34");
        var (subscription, _) = await factory.CreateSubscriptionAsync("https://slow.example/hook");
        factory.Receiver.Respond = async (r, ct) =>
        {
            if (r.RequestUri!.Host == "slow.example")
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }
            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        var id = await factory.AddDeliveryAsync(subscription);

        await factory.RunAttemptAsync(id, 1);

        var delivery = await factory.DeliveryAsync(id);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Contains("Timed out", delivery.LastError, StringComparison.Ordinal);
        Assert.Null(delivery.LastHttpStatus);
        Assert.NotNull(delivery.NextAttemptAtUtc);
    }

    [Fact]
    public async Task After_the_last_attempt_the_delivery_is_failed_audited_and_can_be_redelivered()
    {
        factory.Resolver.Set("down.example", "93.184.216.34");
        var (subscription, _) = await factory.CreateSubscriptionAsync("https://down.example/hook");
        factory.Receiver.Respond = (r, _) => Task.FromResult(new HttpResponseMessage(
            r.RequestUri!.Host == "down.example" ? HttpStatusCode.BadGateway : HttpStatusCode.OK));
        var id = await factory.AddDeliveryAsync(subscription, attemptsSoFar: 5);

        await factory.RunAttemptAsync(id, 6);

        var failed = await factory.DeliveryAsync(id);
        Assert.Equal(WebhookDeliveryStatus.Failed, failed.Status);
        Assert.Equal(6, failed.Attempts);
        Assert.Equal(502, failed.LastHttpStatus);
        Assert.Null(failed.NextAttemptAtUtc);
        Assert.NotNull(failed.CompletedAtUtc);
        var audit = await factory.AuditEntriesAsync();
        var failedEntry = Assert.Single(audit, e => e.Action == AuditActions.WebhookDeliveryFailed && e.EntityId == id.ToString() && e.Outcome == AuditOutcome.Failure);
        Assert.Equal($"Webhook delivery of {failed.EventType} (event {failed.EventId}) failed after 6 attempts: {failed.LastError}", AuditText.English(failedEntry));

        var page = await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>()
            .ListDeliveriesAsync(new WebhookDeliveryQuery(subscription, WebhookDeliveryStatus.Failed)));
        Assert.Contains(page.Items, v => v.Delivery.Id == id);

        var again = await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().RedeliverAsync(id));
        Assert.True(again.Succeeded);
        var copy = await factory.DeliveryAsync(again.Value);
        Assert.Equal(failed.EventId, copy.EventId);
        Assert.Equal(failed.Payload, copy.Payload);
        Assert.Equal(id, copy.RedeliveryOf);
        Assert.Equal($"Failed delivery {id} of {failed.EventType} (event {failed.EventId}) sent again as delivery {again.Value}.",
            AuditText.English(Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.WebhookRedelivered && e.EntityId == again.Value.ToString())));

        var pending = await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().RedeliverAsync(again.Value));
        Assert.Equal(ErrorKind.Conflict, pending.Error);
        var unknown = await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().RedeliverAsync(Guid.NewGuid()));
        Assert.Equal(ErrorKind.NotFound, unknown.Error);
    }

    [Fact]
    public async Task A_test_event_reaches_the_receiver()
    {
        factory.Resolver.Set("test.example", "93.184.216.34");
        factory.Receiver.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted));
        var (subscription, secret) = await factory.CreateSubscriptionAsync("https://test.example/ping");

        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().SendTestAsync(subscription));

        Assert.True(result.Succeeded);
        var delivery = await Eventually.GetAsync(() => factory.DeliveryAsync(result.Value), d => d.Status == WebhookDeliveryStatus.Succeeded, "the test event was delivered");
        Assert.Equal(202, delivery.LastHttpStatus);
        var request = Assert.Single(factory.Receiver.Requests, r => r.Uri.Host == "test.example");
        Assert.Contains("\"type\":\"webhook.test\"", request.Body, StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify(secret, request.Headers[WebhookSignature.TimestampHeader], request.Body,
            request.Headers[WebhookSignature.SignatureHeader], DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));
    }

    [Fact]
    public async Task The_nightly_cleanup_deletes_only_finished_deliveries_past_the_retention()
    {
        factory.Resolver.Set("keep.example", "93.184.216.34");
        var (subscription, _) = await factory.CreateSubscriptionAsync("https://keep.example/hook");
        var oldDone = await factory.AddDeliveryAsync(subscription);
        var oldPending = await factory.AddDeliveryAsync(subscription);
        var recentFailed = await factory.AddDeliveryAsync(subscription);
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var old = DateTime.UtcNow.AddDays(-31);
            await db.WebhookDeliveries.Where(d => d.Id == oldDone).ExecuteUpdateAsync(s => s.SetProperty(d => d.CreatedAtUtc, old).SetProperty(d => d.Status, WebhookDeliveryStatus.Succeeded));
            await db.WebhookDeliveries.Where(d => d.Id == oldPending).ExecuteUpdateAsync(s => s.SetProperty(d => d.CreatedAtUtc, old));
            await db.WebhookDeliveries.Where(d => d.Id == recentFailed).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Failed));
        });

        await factory.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Infrastructure.Webhooks.WebhookDeliveryCleanupJob>().ExecuteAsync(CancellationToken.None));

        var left = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookDeliveries
            .Where(d => d.SubscriptionId == subscription).Select(d => d.Id).ToListAsync());
        Assert.DoesNotContain(oldDone, left);
        Assert.Contains(oldPending, left);
        Assert.Contains(recentFailed, left);
    }

    private long ScheduledCount() => factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledCount();
}
