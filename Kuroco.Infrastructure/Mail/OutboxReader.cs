using Kuroco.Core.Mail;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Mail;

internal sealed class OutboxReader(IDbContextFactory<KurocoDbContext> contexts) : IOutboxReader
{
    public const int MaxPageSize = 100;

    public async Task<OutboxPage> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var total = await db.OutboxMessages.CountAsync(cancellationToken);
        var items = await db.OutboxMessages.AsNoTracking()
            .OrderByDescending(m => m.CreatedAtUtc)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return new OutboxPage(items, total);
    }
}
