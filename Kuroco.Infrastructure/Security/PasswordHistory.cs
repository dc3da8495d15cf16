using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Security;

/// <summary>Earlier password hashes of each user, for the "no reuse of the last N passwords" rule.</summary>
public sealed class PasswordHistory(KurocoDbContext db, TimeProvider clock)
{
    /// <summary>True when <paramref name="password"/> verifies against the current hash or one of the last <paramref name="count"/> stored hashes.</summary>
    public async Task<bool> IsReusedAsync(StaffUser user, string password, int count, IPasswordHasher<StaffUser> hasher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(hasher);
        if (count <= 0 || string.IsNullOrEmpty(user.Id))
        {
            return false;
        }
        var hashes = await db.Set<PasswordHistoryEntry>().AsNoTracking()
            .Where(e => e.UserId == user.Id)
            .OrderByDescending(e => e.CreatedAtUtc).ThenByDescending(e => e.Id)
            .Take(count)
            .Select(e => e.PasswordHash)
            .ToListAsync(cancellationToken);
        if (!string.IsNullOrEmpty(user.PasswordHash))
        {
            hashes.Insert(0, user.PasswordHash);
        }
        return hashes.Distinct(StringComparer.Ordinal)
            .Any(hash => hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed);
    }

    /// <summary>Keeps the user's current hash; drops entries beyond the longest history a policy may ask for.</summary>
    public async Task RecordAsync(StaffUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(user.PasswordHash))
        {
            return;
        }
        db.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = user.PasswordHash, CreatedAtUtc = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        var stale = await db.Set<PasswordHistoryEntry>()
            .Where(e => e.UserId == user.Id)
            .OrderByDescending(e => e.CreatedAtUtc).ThenByDescending(e => e.Id)
            .Skip(PasswordPolicy.HistoryCountMax)
            .Select(e => e.Id)
            .ToListAsync(cancellationToken);
        if (stale.Count > 0)
        {
            await db.Set<PasswordHistoryEntry>().Where(e => stale.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
