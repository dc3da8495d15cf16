using Kuroco.Core.Scaling;
using StackExchange.Redis;

namespace Kuroco.Infrastructure.Scaling;

/// <summary>
/// Rate-limit counters in Redis: one key per counter and window, counted by a script that never goes past the limit
/// (as the in-process counters), forgotten after the window. Answers null while Redis is away.
/// </summary>
internal sealed class RedisSharedCounters(RedisConnection connection) : ISharedCounters
{
    // KEYS[1] counter, ARGV[1] limit, ARGV[2] lifetime in ms: 1 when counted, 0 when used up.
    private const string TakeScript = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        if used >= tonumber(ARGV[1]) then return 0 end
        if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 1
        """;

    public bool IsShared => true;

    public bool? TryTake(string counter, int limit, TimeSpan lifetime)
    {
        if (!connection.IsConnected)
        {
            return null;
        }
        try
        {
            var result = connection.Multiplexer.GetDatabase().ScriptEvaluate(TakeScript, [Key(counter)], [limit, (long)lifetime.TotalMilliseconds]);
            return (long)result == 1;
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            connection.Failed(ex);
            return null;
        }
    }

    public int? Read(string counter)
    {
        if (!connection.IsConnected)
        {
            return null;
        }
        try
        {
            var value = connection.Multiplexer.GetDatabase().StringGet(Key(counter));
            return value.IsNull ? 0 : (int)value;
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            connection.Failed(ex);
            return null;
        }
    }

    private RedisKey Key(string counter) => connection.Prefix + "rate:" + counter;
}
