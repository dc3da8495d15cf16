using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// Counts sign-in attempts atomically in the database. An attempt is counted before its password is
/// verified, so parallel guesses each take one of the policy's allowed failures: however many arrive
/// at once, no more than that number are ever checked before the account locks.
/// </summary>
public sealed class SignInAttempts(KurocoDbContext db, TimeProvider clock)
{
    /// <summary>The attempt's number since the last success or lock, or null when the account is locked.</summary>
    public async Task<int?> ReserveAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1), cancellationToken);
        var state = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.AccessFailedCount, u.LockoutEnd })
            .SingleAsync(cancellationToken);
        if (state.LockoutEnd is { } end && end > clock.GetUtcNow())
        {
            // Locked meanwhile: this attempt does not count and is not checked.
            await db.Users.Where(u => u.Id == userId && u.AccessFailedCount > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount - 1), cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return null;
        }
        await tx.CommitAsync(cancellationToken);
        return state.AccessFailedCount;
    }

    /// <summary>Gives back an attempt that was refused without a check (beyond the allowance).</summary>
    public Task ReleaseAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Users.Where(u => u.Id == userId && u.AccessFailedCount > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount - 1), cancellationToken);

    public Task ResetAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0), cancellationToken);

    /// <summary>
    /// Locks the account for <paramref name="span"/> and starts a new count. The security stamp changes too
    /// (returned, for the caller's copy of the account), so the account's open sessions end at their next
    /// validation: a lock may mean someone is guessing, and Identity itself keeps the stamp when it locks.
    /// The concurrency stamp stays: the caller's tracked copy of the account may still be saved.
    /// </summary>
    public async Task<string> LockAsync(string userId, TimeSpan span, CancellationToken cancellationToken = default)
    {
        DateTimeOffset? end = clock.GetUtcNow() + span;
        var stamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, end).SetProperty(u => u.AccessFailedCount, 0)
                .SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
        return stamp;
    }

    /// <summary>
    /// Records a completed sign-in with one UPDATE of that column: a full-row update through the tracked
    /// account would fail on its concurrency stamp when the same account signs in twice at once, and would
    /// write back a stale failure count.
    /// </summary>
    public Task RecordSignInAsync(string userId, DateTime signedInAtUtc, CancellationToken cancellationToken = default) =>
        db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInUtc, signedInAtUtc), cancellationToken);
}
