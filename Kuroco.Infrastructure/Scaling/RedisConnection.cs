using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuroco.Infrastructure.Scaling;

/// <summary>Settings of the Redis the instances share (<c>Redis</c>); without <see cref="Configuration"/> one instance works alone.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis connection string, e.g. <c>redis:6379,password=…,ssl=true</c>; empty = no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key and channel, so several apps can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "kuroco:";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);
}

/// <summary>
/// The one connection to Redis of this process. It connects in the background (the app starts and serves at once,
/// from its own memory, while Redis is slow or away: <c>abortConnect=false</c>), fails commands at once while Redis is
/// away (no backlog: callers fall back to in-process caching and counting), reconnects by itself every second, and logs
/// the outage and the recovery once each. What could not reach Redis meanwhile (an eviction, a type change) is
/// <see cref="Owe">owed</see> and done as soon as Redis answers again, before this instance reads from it.
/// </summary>
public sealed partial class RedisConnection : IDisposable
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    /// <summary>How long Redis is left alone after a command timed out on a connection that looked up.</summary>
    private static readonly TimeSpan QuietAfterTimeout = TimeSpan.FromSeconds(5);

    private readonly Task<ConnectionMultiplexer?> connecting;
    private readonly ILogger<RedisConnection> logger;
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> owed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim catchingUp = new(1, 1);
    private readonly CancellationTokenSource disposed = new();
    private int retrying;
    private long quietUntil;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.logger = logger;
        Prefix = options.Value.KeyPrefix;
        // Never on the caller's thread: the first connect may take the whole connect timeout when Redis does not answer.
        var configuration = options.Value.Configuration!;
        connecting = Task.Run(() => ConnectAsync(configuration));
        // The first connect: whatever waited for it (a subscription, changes owed meanwhile) goes once it has ended.
        _ = connecting.ContinueWith(_ =>
        {
            if (IsConnected)
            {
                OnRestored();
            }
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>Raised when the connection to Redis is up after an outage, or at last after a start without it (pub/sub messages sent meanwhile were lost).</summary>
    public event EventHandler? Restored;

    /// <summary>Identifies this process in published messages, so it can ignore its own.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public string Prefix { get; }

    /// <summary>
    /// Connected to Redis right now: false while the first connect is still under way, while the connection is down, and
    /// for <see cref="QuietAfterTimeout"/> after a command timed out (<see cref="Failed"/>).
    /// </summary>
    public bool IsConnected => connecting.IsCompletedSuccessfully && connecting.Result is { IsConnected: true }
        && Environment.TickCount64 >= Volatile.Read(ref quietUntil);

    /// <summary>The multiplexer; only once <see cref="IsConnected"/> has been true (it throws before the first connect ends).</summary>
    public IConnectionMultiplexer Multiplexer => connecting.IsCompletedSuccessfully && connecting.Result is { } multiplexer
        ? multiplexer
        : throw NotConnected("Redis is not connected yet.");

    /// <summary>The multiplexer once the first connect has ended (connected or not), for a component that connects lazily.</summary>
    public async Task<IConnectionMultiplexer> MultiplexerAsync() =>
        await connecting ?? throw NotConnected("Redis could not be configured.");

    /// <summary>How many changes are still to be done in Redis (evictions, type changes made while it was away).</summary>
    public int OwedCount => owed.Count;

    /// <summary>A failure that means "Redis cannot be used right now" (as opposed to a bug).</summary>
    public static bool IsOutage(Exception exception) =>
        exception is RedisException or TimeoutException or SocketException or ObjectDisposedException;

    /// <summary>
    /// A command failed with <paramref name="exception"/>. A timeout means Redis went silent without the connection closing
    /// (a network partition, a stopped server): the connection still looks up, and every request would wait for the
    /// command timeout. Redis is then left alone for a few seconds (callers use their own memory), then tried again.
    /// </summary>
    public void Failed(Exception exception)
    {
        if (exception is TimeoutException)
        {
            Volatile.Write(ref quietUntil, Environment.TickCount64 + (long)QuietAfterTimeout.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Remembers a change Redis missed; it is done (once, whatever the number of calls with this <paramref name="key"/>)
    /// before this instance uses Redis again, when the connection is restored, and every second until it succeeds.
    /// </summary>
    public void Owe(string key, Func<CancellationToken, Task> change)
    {
        owed[key] = change;
        if (Interlocked.Exchange(ref retrying, 1) == 0)
        {
            _ = RetryOwedAsync();
        }
    }

    /// <summary>
    /// True when Redis is connected and every owed change is done (doing them now if needed); false when Redis is away
    /// or refuses one of them, so the caller falls back to its own memory.
    /// </summary>
    public async ValueTask<bool> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        if (!IsConnected)
        {
            return false;
        }
        if (owed.IsEmpty)
        {
            return true;
        }
        try
        {
            await catchingUp.WaitAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        try
        {
            if (owed.IsEmpty)
            {
                return true;
            }
            foreach (var (key, change) in owed)
            {
                await change(cancellationToken);
                owed.TryRemove(new KeyValuePair<string, Func<CancellationToken, Task>>(key, change));
            }
            LogCaughtUp(logger);
            return true;
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            Failed(ex);
            return false;
        }
        finally
        {
            catchingUp.Release();
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        if (connecting.IsCompletedSuccessfully)
        {
            connecting.Result?.Dispose();
        }
        else
        {
            _ = connecting.ContinueWith(t => t.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
        catchingUp.Dispose();
        disposed.Dispose();
    }

    private async Task RetryOwedAsync()
    {
        try
        {
            while (!disposed.IsCancellationRequested)
            {
                if (await CatchUpAsync(disposed.Token) && owed.IsEmpty)
                {
                    Interlocked.Exchange(ref retrying, 0);
                    // A change owed between the last look and the reset would wait for the next one: look once more.
                    if (owed.IsEmpty || Interlocked.Exchange(ref retrying, 1) == 1)
                    {
                        return;
                    }
                }
                await Task.Delay(RetryEvery, disposed.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task<ConnectionMultiplexer?> ConnectAsync(string configuration)
    {
        ConnectionMultiplexer connection;
        try
        {
            var options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = false;
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ReconnectRetryPolicy = new LinearRetry((int)RetryEvery.TotalMilliseconds);
            connection = await ConnectionMultiplexer.ConnectAsync(options);
        }
#pragma warning disable CA1031 // A bad connection string must not take the app down: it runs on its own memory and says why.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogOutage(logger, configuration.Split(',')[0], "cannot connect", ex);
            return null;
        }
        connection.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                LogOutage(logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString(), e.Exception);
            }
        };
        connection.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                LogRestored(logger, e.EndPoint?.ToString() ?? "?");
            }
            OnRestored();
        };
        if (!connection.IsConnected)
        {
            LogOutage(logger, configuration.Split(',')[0], "not reachable at start", null);
        }
        return connection;
    }

    private static RedisConnectionException NotConnected(string message) =>
        new(ConnectionFailureType.UnableToConnect, CommandFlags.None, message, null!, CommandStatus.Unknown);

    private void OnRestored()
    {
        if (!owed.IsEmpty)
        {
            _ = CatchUpAsync(disposed.Token).AsTask();
        }
        Restored?.Invoke(this, EventArgs.Empty);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {EndPoint} cannot be reached ({Failure}): output cache, type caches and rate limits are per instance until it is back.")]
    private static partial void LogOutage(ILogger logger, string endPoint, string failure, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {EndPoint} is back: caches and rate limits are shared again.")]
    private static partial void LogRestored(ILogger logger, string endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis has caught up with the evictions and type changes it missed while it was away.")]
    private static partial void LogCaughtUp(ILogger logger);
}
