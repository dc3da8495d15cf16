using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Staff;

internal sealed class StaffDirectory(IDbContextFactory<KurocoDbContext> contexts) : IStaffDirectory
{
    public async Task<IReadOnlyList<(string Email, string DisplayName)>> GetEnabledInRoleAsync(string role, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (from u in db.Users
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          where r.Name == role && u.IsEnabled && u.Email != null
                          select new { u.Email, u.DisplayName }).Distinct().ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Email!, r.DisplayName))];
    }

    public async Task<IReadOnlyList<StaffRecipient>> GetRecipientsInRoleAsync(string role, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (from u in db.Users
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          where r.Name == role && u.IsEnabled && u.Email != null
                          select new { u.Email, u.DisplayName, u.Language, u.TimeZoneId }).Distinct().ToListAsync(cancellationToken);
        return [.. rows.Select(r => new StaffRecipient(r.Email!, r.DisplayName, r.Language, r.TimeZoneId))];
    }
}
