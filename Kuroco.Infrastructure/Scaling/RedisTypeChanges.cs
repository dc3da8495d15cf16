using Kuroco.Core.Content;
using Kuroco.Infrastructure.Content;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kuroco.Infrastructure.Scaling;

/// <summary>A type changed on this instance: tells the other instances through <see cref="RedisTypeChanges"/>.</summary>
internal sealed class RedisTypeChangePublisher(RedisTypeChanges changes) : IContentTypeChangeListener
{
    public Task OnTypeChangedAsync(string typeApiId, CancellationToken cancellationToken = default) => changes.PublishAsync(typeApiId);
}

/// <summary>
/// Type changes between instances through Redis pub/sub: a change made here is published, and a change published by
/// another instance drops this instance's type caches (the delivery API's types and public-type set, the navigation
/// drawer's list). A change that cannot be published while Redis is away is owed (<see cref="RedisConnection.Owe"/>)
/// and published as soon as it is back, so an instance that stayed connected hears of it then. When this instance's own
/// connection comes back it drops its type caches too: messages sent meanwhile are lost to it.
/// </summary>
internal sealed partial class RedisTypeChanges(
    RedisConnection connection,
    DeliveryContentTypes deliveryTypes,
    ContentTypeDirectory directory,
    ILogger<RedisTypeChanges> logger) : IHostedService
{
    private int subscribed;

    private RedisChannel Channel => RedisChannel.Literal(connection.Prefix + "content-type-changed");

    public async Task PublishAsync(string typeApiId)
    {
        if (connection.IsConnected)
        {
            try
            {
                await PublishNowAsync(typeApiId);
                return;
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                connection.Failed(ex);
                LogNotPublished(logger, typeApiId, ex.GetType().Name);
            }
        }
        connection.Owe("type-changed:" + typeApiId, _ => PublishNowAsync(typeApiId));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        connection.Restored += OnRestored;
        // Never waits for Redis: before the first connect ends, the subscription is made when it is up (Restored).
        if (connection.IsConnected)
        {
            await SubscribeAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        connection.Restored -= OnRestored;
        return Task.CompletedTask;
    }

    private Task PublishNowAsync(string typeApiId) =>
        connection.Multiplexer.GetSubscriber().PublishAsync(Channel, connection.InstanceId + "|" + typeApiId);

    private async Task SubscribeAsync()
    {
        if (Interlocked.Exchange(ref subscribed, 1) == 1)
        {
            return;
        }
        try
        {
            await connection.Multiplexer.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
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
            // Tried again when the connection is up.
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The change of content type {TypeApiId} could not be published through Redis ({Error}); it is published when Redis is back.")]
    private static partial void LogNotPublished(ILogger logger, string typeApiId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to content type changes in Redis ({Error}); trying again when it is back.")]
    private static partial void LogNotSubscribed(ILogger logger, string error);
}
