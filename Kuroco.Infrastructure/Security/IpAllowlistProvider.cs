using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// The allowlists in memory, read on every request. A save in this process refreshes them at once;
/// other instances (a shared SQL Server) pick a change up within <see cref="MaxAge"/>.
/// </summary>
internal sealed class IpAllowlistProvider(IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock) : IIpAllowlistProvider
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Snapshot? current;

    public async ValueTask<IpAllowlists> GetAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = current;
        if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < MaxAge)
        {
            return snapshot.Lists;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            snapshot = current;
            if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < MaxAge)
            {
                return snapshot.Lists;
            }
            var lists = await LoadAsync(cancellationToken);
            current = new Snapshot(lists, clock.GetUtcNow());
            return lists;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Invalidate() => current = null;

    private async Task<IpAllowlists> LoadAsync(CancellationToken cancellationToken)
    {
        // A singleton cache: it opens its own short-lived context from the factory.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await db.IpAllowlistRules.AsNoTracking().OrderBy(r => r.List).ThenBy(r => r.Position).ToListAsync(cancellationToken);
        return new IpAllowlists(
            new IpAllowlist(IpAllowlistKind.Console, rules.Where(r => r.List == IpAllowlistKind.Console).Select(r => new IpAllowlistEntry(r.Cidr, r.Comment))),
            new IpAllowlist(IpAllowlistKind.Api, rules.Where(r => r.List == IpAllowlistKind.Api).Select(r => new IpAllowlistEntry(r.Cidr, r.Comment))));
    }

    private sealed record Snapshot(IpAllowlists Lists, DateTimeOffset LoadedAt);
}
