using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// The type list of the navigation drawer: one query for the whole list, kept until a type changes on this
/// instance (<see cref="ContentTypeDirectoryEviction"/>) or <see cref="Lifetime"/> passes (a change made on
/// another instance shows within that time).
/// </summary>
internal sealed class ContentTypeDirectory(IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock) : IContentTypeDirectory
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private volatile Snapshot? current;
    private long generation;

    public event EventHandler? Changed;

    public async ValueTask<IReadOnlyList<ContentTypeLink>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var snapshot = current;
        if (snapshot is null || snapshot.ExpiresAt <= now || snapshot.Generation != Interlocked.Read(ref generation))
        {
            // A read that raced with a change carries the older generation, so the next call reads again.
            var started = Interlocked.Read(ref generation);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var types = await db.ContentTypes.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.ApiId)
                .Select(t => new ContentTypeLink(t.Id, t.Name, t.ApiId)).ToListAsync(cancellationToken);
            snapshot = new Snapshot(types, now + Lifetime, started);
            current = snapshot;
        }
        return snapshot.Types;
    }

    /// <summary>Forgets the list and tells the listeners (the drawers of open circuits) to read it again.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private sealed record Snapshot(IReadOnlyList<ContentTypeLink> Types, DateTimeOffset ExpiresAt, long Generation);
}

/// <summary>A type was created, changed or deleted: the drawer's list is read again.</summary>
internal sealed class ContentTypeDirectoryEviction(ContentTypeDirectory directory) : IContentTypeChangeListener
{
    public Task OnTypeChangedAsync(string typeApiId, CancellationToken cancellationToken = default)
    {
        directory.Forget();
        return Task.CompletedTask;
    }
}

public static class ContentTypeDirectoryServices
{
    /// <summary>The cached type list of the navigation drawer and the listener that keeps it current.</summary>
    public static IServiceCollection AddContentTypeDirectory(this IServiceCollection services)
    {
        services.AddSingleton<ContentTypeDirectory>();
        services.AddSingleton<IContentTypeDirectory>(sp => sp.GetRequiredService<ContentTypeDirectory>());
        services.AddScoped<IContentTypeChangeListener, ContentTypeDirectoryEviction>();
        return services;
    }
}
