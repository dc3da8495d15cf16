using System.Net;
using System.Net.Sockets;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>The allowlisted hosts in memory; a save here refreshes at once, other instances within <see cref="MaxAge"/>.</summary>
internal sealed class WebhookHostAllowlist(IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock) : IWebhookHostAllowlist
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private volatile Snapshot? current;

    public async ValueTask<bool> IsAllowedAsync(string host, CancellationToken cancellationToken = default)
    {
        var snapshot = current;
        if (snapshot is null || clock.GetUtcNow() - snapshot.LoadedAt >= MaxAge)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var hosts = await db.WebhookAllowedHosts.AsNoTracking().Select(h => h.Host).ToListAsync(cancellationToken);
            snapshot = new Snapshot(hosts.ToHashSet(StringComparer.Ordinal), clock.GetUtcNow());
            current = snapshot;
        }
        return snapshot.Hosts.Contains(WebhookAddressRules.NormalizeHost(host));
    }

    public void Invalidate() => current = null;

    private sealed record Snapshot(HashSet<string> Hosts, DateTimeOffset LoadedAt);
}

/// <summary>Plain DNS.</summary>
internal sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
