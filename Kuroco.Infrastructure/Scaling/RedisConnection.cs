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
/// The one connection to Redis of this process. It never fails the start (<c>abortConnect=false</c>), fails commands at
/// once while Redis is away (no backlog: callers fall back to in-process caching and counting), reconnects by itself
/// every second, and logs the outage and the recovery once each.
/// </summary>
public sealed partial class RedisConnection : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> multiplexer;
    private readonly ILogger<RedisConnection> logger;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.logger = logger;
        Prefix = options.Value.KeyPrefix;
        multiplexer = new Lazy<ConnectionMultiplexer>(() => Connect(options.Value.Configuration!), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Raised when the connection to Redis is back after an outage (caches may have missed evictions meanwhile).</summary>
    public event EventHandler? Restored;

    /// <summary>Identifies this process in published messages, so it can ignore its own.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public string Prefix { get; }

    public IConnectionMultiplexer Multiplexer => multiplexer.Value;

    public bool IsConnected => Multiplexer.IsConnected;

    /// <summary>A failure that means "Redis cannot be used right now" (as opposed to a bug).</summary>
    public static bool IsOutage(Exception exception) =>
        exception is RedisException or TimeoutException or SocketException or ObjectDisposedException;

    public void Dispose()
    {
        if (multiplexer.IsValueCreated)
        {
            multiplexer.Value.Dispose();
        }
    }

    private ConnectionMultiplexer Connect(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        var connection = ConnectionMultiplexer.Connect(options);
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
            Restored?.Invoke(this, EventArgs.Empty);
        };
        if (!connection.IsConnected)
        {
            LogOutage(logger, configuration.Split(',')[0], "not reachable at start", null);
        }
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {EndPoint} cannot be reached ({Failure}): output cache, type caches and rate limits are per instance until it is back.")]
    private static partial void LogOutage(ILogger logger, string endPoint, string failure, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {EndPoint} is back: caches and rate limits are shared again.")]
    private static partial void LogRestored(ILogger logger, string endPoint);
}
