using System.Collections.Concurrent;
using System.Net;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Webhooks;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Tests.Integration.Webhooks;

/// <summary>DNS as a test wants it: a fixed answer per host, which a test may change between save and delivery.</summary>
public sealed class SwitchableResolver : IWebhookHostResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> answers = new(StringComparer.OrdinalIgnoreCase);

    public void Set(string host, params string[] addresses) => answers[host] = [.. addresses.Select(IPAddress.Parse)];

    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IPAddress>>(answers.TryGetValue(host, out var a) ? a : []);
}

/// <summary>The outside world's HTTP: records each webhook request and answers what the test says.</summary>
public sealed class FakeWebhookReceiver : HttpMessageHandler
{
    public sealed record Received(Uri Uri, Dictionary<string, string> Headers, string Body);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; } =
        (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new Received(request.RequestUri!, headers, body));
        return await Respond(request, cancellationToken);
    }

    // The client factory rotates handlers; this one lives as long as the test class.
    protected override void Dispose(bool disposing)
    {
    }
}

/// <summary>The real app with fake DNS, captured logs and (unless <paramref name="realHttp"/>) a fake receiver.</summary>
public class WebhookAppFactory : KurocoAppFactory
{
    public SwitchableResolver Resolver { get; } = new();
    public FakeWebhookReceiver Receiver { get; } = new();
    public CapturingLoggerProvider Logs { get; } = new();

    public WebhookAppFactory()
        : this(realHttp: false)
    {
    }

    protected WebhookAppFactory(bool realHttp)
    {
        Settings["Kuroco:Webhooks:TimeoutSeconds"] = "1";
        TestServices = services =>
        {
            services.AddSingleton<IWebhookHostResolver>(Resolver);
            services.AddSingleton<ILoggerProvider>(Logs);
            if (!realHttp)
            {
                services.AddHttpClient(WebhookHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => Receiver);
            }
        };
    }

    /// <summary>Creates a subscription through the service; returns its id and the once-shown secret.</summary>
    public Task<(Guid Id, string Secret)> CreateSubscriptionAsync(string url, string contentType = "*", params string[] events) => WithScopeAsync(async sp =>
    {
        var result = await sp.GetRequiredService<IWebhookService>().CreateAsync(new WebhookSubscriptionRequest
        {
            Name = "Hook " + Guid.NewGuid().ToString("N")[..6],
            TargetUrl = url,
            ContentType = contentType,
            Events = events.Length == 0 ? [.. WebhookEventTypes.All] : events,
        });
        Assert.True(result.TryGetValue(out var issued), result.Message);
        return (issued.Id, issued.Secret);
    });

    /// <summary>A delivery row with no job behind it, so the test runs attempts itself.</summary>
    public Task<Guid> AddDeliveryAsync(Guid subscriptionId, int attemptsSoFar = 0) => WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        var eventId = Guid.NewGuid();
        var e = new WebhookEvent(WebhookEventTypes.ContentPublished, "news", Guid.NewGuid(), "hello", DateTimeOffset.UtcNow);
        var delivery = WebhookDispatcher.NewDelivery(subscriptionId, eventId, e.EventType, e.TypeApiId, e.ItemId, WebhookPayload.Build(eventId, e), DateTime.UtcNow);
        delivery.Attempts = attemptsSoFar;
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery.Id;
    });

    public Task RunAttemptAsync(Guid deliveryId, int attempt) =>
        WithScopeAsync(sp => sp.GetRequiredService<WebhookDeliveryJob>().ExecuteAsync(deliveryId, attempt, CancellationToken.None));

    public Task<WebhookDelivery> DeliveryAsync(Guid id) => WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == id));
}

/// <summary>The real SocketsHttpHandler with its connect-time check; only DNS is faked.</summary>
public sealed class RealHttpWebhookAppFactory : WebhookAppFactory
{
    public RealHttpWebhookAppFactory()
        : base(realHttp: true)
    {
    }
}
