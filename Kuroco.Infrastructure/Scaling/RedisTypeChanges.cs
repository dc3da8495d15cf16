using Kuroco.Core.Content;
using Kuroco.Infrastructure.Content;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kuroco.Infrastructure.Scaling;

/// <summary>A type changed on this instance: tells the other instances through Redis pub/sub (best effort; their caches expire anyway).</summary>
internal sealed partial class RedisTypeChangePublisher(RedisConnection connection, ILogger<RedisTypeChangePublisher> logger) : IContentTypeChangeListener
{
    public async Task OnTypeChangedAsync(string typeApiId, CancellationToken cancellationToken = default)
    {
        if (!connection.IsConnected)
        {
            return;
        }
        try
        {
            await connection.Multiplexer.GetSubscriber().PublishAsync(RedisTypeChangeSubscriber.Channel(connection), connection.InstanceId + "|" + typeApiId);
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            LogNotPublished(logger, typeApiId, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The change of content type {TypeApiId} could not be published through Redis ({Error}); other instances see it when their type caches expire.")]
    private static partial void LogNotPublished(ILogger logger, string typeApiId, string error);
}

/// <summary>
/// Listens for type changes made on other instances and drops this instance's type caches (the delivery API's types and
/// public-type set, the navigation drawer's list). When the connection comes back after an outage it drops them too:
/// messages sent meanwhile are lost.
/// </summary>
internal sealed partial class RedisTypeChangeSubscriber(
    RedisConnection connection,
    DeliveryContentTypes deliveryTypes,
    ContentTypeDirectory directory,
    ILogger<RedisTypeChangeSubscriber> logger) : IHostedService
{
    private int subscribed;

    public static RedisChannel Channel(RedisConnection connection) => RedisChannel.Literal(connection.Prefix + "content-type-changed");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        connection.Restored += OnRestored;
        await SubscribeAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        connection.Restored -= OnRestored;
        return Task.CompletedTask;
    }

    private async Task SubscribeAsync()
    {
        if (Interlocked.Exchange(ref subscribed, 1) == 1)
        {
            return;
        }
        try
        {
            await connection.Multiplexer.GetSubscriber().SubscribeAsync(Channel(connection), (_, message) =>
            {
                var text = message.ToString();
                if (!text.StartsWith(connection.InstanceId + "|", StringComparison.Ordinal))
                {
                    ForgetTypes();
                }
            });
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            // Tried again when the connection is back.
            Interlocked.Exchange(ref subscribed, 0);
            LogNotSubscribed(logger, ex.GetType().Name);
        }
    }

    private void OnRestored(object? sender, EventArgs e)
    {
        ForgetTypes();
        _ = SubscribeAsync();
    }

    private void ForgetTypes()
    {
        deliveryTypes.Forget();
        directory.Forget();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to content type changes in Redis ({Error}); trying again when it is back.")]
    private static partial void LogNotSubscribed(ILogger logger, string error);
}
