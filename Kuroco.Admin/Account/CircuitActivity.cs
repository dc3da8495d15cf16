using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Kuroco.Admin.Account;

/// <summary>When the circuit's user last did something (any inbound circuit activity), for the idle timeout.</summary>
internal sealed class CircuitActivity(TimeProvider clock)
{
    private long lastActivityTicks = clock.GetUtcNow().UtcTicks;

    public DateTimeOffset LastActivityUtc => new(Interlocked.Read(ref lastActivityTicks), TimeSpan.Zero);

    public void Touch() => Interlocked.Exchange(ref lastActivityTicks, clock.GetUtcNow().UtcTicks);
}

internal sealed class CircuitActivityHandler(CircuitActivity activity) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            activity.Touch();
            return next(context);
        };
}
