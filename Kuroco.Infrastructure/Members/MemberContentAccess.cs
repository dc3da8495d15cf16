using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Members;

/// <summary>Member groups for the content editors, and a member's groups for the delivery API (one indexed query per request).</summary>
internal sealed class MemberContentAccess(IDbContextFactory<KurocoDbContext> contexts) : IMemberContentAccess
{
    public async Task<IReadOnlyList<MemberGroup>> GroupsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.MemberGroups.AsNoTracking().OrderBy(g => g.NameJa).ThenBy(g => g.NameEn).ToListAsync(cancellationToken);
    }

    public async Task<ContentAudience> AudienceAsync(Guid memberId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var groups = new List<Guid>();
        await foreach (var group in GroupIds(db, memberId).WithCancellation(cancellationToken))
        {
            groups.Add(group);
        }
        return ContentAudience.Member(memberId, groups);
    }

    // Compiled: every request with a member's token runs it.
    private static readonly Func<KurocoDbContext, Guid, IAsyncEnumerable<Guid>> GroupIds =
        EF.CompileAsyncQuery((KurocoDbContext db, Guid memberId) =>
            db.MemberGroupMemberships.AsNoTracking().Where(m => m.MemberId == memberId).Select(m => m.GroupId));
}

public static class MemberContentAccessServices
{
    /// <summary>Member-only content's view of the members feature.</summary>
    public static IServiceCollection AddMemberContentAccess(this IServiceCollection services)
    {
        services.AddSingleton<IMemberContentAccess, MemberContentAccess>();
        return services;
    }
}
