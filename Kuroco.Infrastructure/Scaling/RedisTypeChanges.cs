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
/// A published, unpublished, trashed or restored item on this instance: tells the other instances to drop the type's cached
/// list totals (<see cref="DeliveryCounts"/>), so their next list answer counts again instead of waiting for the totals' 5 s bound.
/// </summary>
internal sealed class RedisContentChangePublisher(RedisTypeChanges changes) : IContentChangeListener
{
    public Task OnChangedAsync(ContentChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return changes.PublishContentChangedAsync(change.TypeApiId);
    }
}

/// <summary>
/// Type changes between instances through Redis pub/sub: a change made here is published, and a change published by
/// another instance drops this instance's type caches (the delivery API's types and public-type set, the navigation
/// drawer's list). Item changes (publish, unpublish, trash, restore) go on a second channel and drop only that type's cached
/// list totals. A change that cannot be published while Redis is away is owed (<see cref="RedisConnection.Owe"/>)
/// and published as soon as it is back, so an instance that stayed connected hears of it then. When this instance's own
/// connection comes back it drops its type caches too: messages sent meanwhile are lost to it.
/// </summary>
internal sealed partial class RedisTypeChanges(
    RedisConnection connection,
    DeliveryContentTypes deliveryTypes,
    ContentTypeDirectory directory,
    DeliveryCounts counts,
    ILogger<RedisTypeChanges> logger) : IHostedService
{
    private int subscribed;

    private RedisChannel Channel => RedisChannel.Literal(connection.Prefix + "content-type-changed");

    private RedisChannel ItemsChannel => RedisChannel.Literal(connection.Prefix + "content-changed");

    public Task PublishAsync(string typeApiId) => PublishOrOweAsync(Channel, "type-changed:", typeApiId);

    public Task PublishContentChangedAsync(string typeApiId) => PublishOrOweAsync(ItemsChannel, "content-changed:", typeApiId);

    private async Task PublishOrOweAsync(RedisChannel channel, string owedPrefix, string typeApiId)
    {
        if (connection.IsConnected)
        {
            try
            {
                await PublishNowAsync(channel, typeApiId);
                return;
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                connection.Failed(ex);
                LogNotPublished(logger, typeApiId, ex.GetType().Name);
            }
        }
        connection.Owe(owedPrefix + typeApiId, _ => PublishNowAsync(channel, typeApiId));
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

    private Task PublishNowAsync(RedisChannel channel, string typeApiId) =>
        connection.Multiplexer.GetSubscriber().PublishAsync(channel, connection.InstanceId + "|" + typeApiId);

    /// <summary>The type named by another instance's message, or null for this instance's own.</summary>
    private string? FromOthers(RedisValue message)
    {
        var text = message.ToString();
        var own = connection.InstanceId + "|";
        return text.StartsWith(own, StringComparison.Ordinal) ? null : text[(text.IndexOf('|', StringComparison.Ordinal) + 1)..];
    }

    private async Task SubscribeAsync()
    {
        if (Interlocked.Exchange(ref subscribed, 1) == 1)
        {
            return;
        }
        try
        {
            var subscriber = connection.Multiplexer.GetSubscriber();
            await subscriber.SubscribeAsync(Channel, (_, message) =>
            {
                if (FromOthers(message) is not null)
                {
                    ForgetTypes();
                }
            });
            await subscriber.SubscribeAsync(ItemsChannel, (_, message) =>
            {
                if (FromOthers(message) is { } typeApiId)
                {
                    counts.Forget(typeApiId);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change of content type {TypeApiId} could not be published through Redis ({Error}); it is published when Redis is back.")]
    private static partial void LogNotPublished(ILogger logger, string typeApiId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to content type changes in Redis ({Error}); trying again when it is back.")]
    private static partial void LogNotSubscribed(ILogger logger, string error);
}
