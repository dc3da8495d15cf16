namespace Kuroco.Infrastructure.Security;

/// <summary>
/// A stored setting (a policy row) as last read, shared by the process: read from the database at most
/// every <see cref="MaxAge"/> and at once after a save on this instance, so other instances pick up a
/// change within that time. Callers get their own copy, never the shared one.
/// </summary>
public abstract class SettingsCache<T>(TimeProvider clock, Func<T, T> copy) where T : class
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private (T Value, DateTimeOffset ReadAt)? entry;

    public T? TryGet()
    {
        var current = entry;
        return current is { } e && clock.GetUtcNow() - e.ReadAt < MaxAge ? copy(e.Value) : null;
    }

    public void Set(T value) => entry = (copy(value), clock.GetUtcNow());

    public void Clear() => entry = null;
}
