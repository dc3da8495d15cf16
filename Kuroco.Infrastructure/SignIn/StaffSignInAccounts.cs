using System.Security.Cryptography;
using Kuroco.Core.Security.SignIn;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.SignIn;

/// <summary>
/// Staff accounts for the sign-in service: Identity's users table. The failed-attempt count is changed with single
/// UPDATE statements (never through a tracked account): a full-row update is guarded by the concurrency stamp and fails
/// whenever another sign-in of the same account changed the row meanwhile, and it would write back a stale count.
/// </summary>
internal sealed class StaffSignInAccounts(KurocoDbContext db, UserManager<StaffUser> users, IPasswordHasher<StaffUser> hasher, TimeProvider clock)
    : ISignInAccounts
{
    private static readonly StaffUser DummyUser = new() { Id = "dummy", UserName = "dummy" };
    private static string? dummyHash;

    public string AuditEntityType => "Staff";

    /// <summary>Staff entries name the account by its email (staff are not subject to erasure requests).</summary>
    public string AuditName(SignInAccount account) => account?.Email ?? "";

    public string? AuditNameOfUnknown(string email) => email;

    public async Task<SignInAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        ToAccount(await users.FindByEmailAsync(email));

    public async Task<SignInAccount?> FindByIdAsync(string id, CancellationToken cancellationToken = default) =>
        ToAccount(await users.FindByIdAsync(id));

    public async Task<IReadOnlyList<string>> RolesAsync(string id, CancellationToken cancellationToken = default) =>
        await users.FindByIdAsync(id) is { } user ? [.. (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal)] : [];

    public async Task<bool> CheckPasswordAsync(string id, string password, CancellationToken cancellationToken = default) =>
        // Identity's check stores a new hash when the stored one was made with older settings (iteration count).
        await users.FindByIdAsync(id) is { } user && await users.CheckPasswordAsync(user, password);

    /// <summary>
    /// Runs the app's own password hasher against a dummy hash made once with the same hasher, so the cost (algorithm,
    /// iterations) always matches the real check.
    /// </summary>
    public void SpendOneCheck(string password)
    {
        // A race here only makes the hash twice; both are equally good.
        var hash = dummyHash ??= hasher.HashPassword(DummyUser, RandomNumberGenerator.GetHexString(32));
        hasher.VerifyHashedPassword(DummyUser, hash, password);
    }

    public async Task<int?> ReserveAttemptAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1), cancellationToken);
        var state = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.AccessFailedCount, u.LockoutEnd })
            .SingleAsync(cancellationToken);
        if (state.LockoutEnd is { } end && end > clock.GetUtcNow())
        {
            // Locked meanwhile: this attempt does not count and is not checked.
            await db.Users.Where(u => u.Id == id && u.AccessFailedCount > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount - 1), cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return null;
        }
        await tx.CommitAsync(cancellationToken);
        return state.AccessFailedCount;
    }

    public Task ReleaseAttemptAsync(string id, CancellationToken cancellationToken = default) =>
        db.Users.Where(u => u.Id == id && u.AccessFailedCount > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount - 1), cancellationToken);

    public Task ResetAttemptsAsync(string id, CancellationToken cancellationToken = default) =>
        db.Users.Where(u => u.Id == id && u.AccessFailedCount != 0)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0), cancellationToken);

    /// <summary>
    /// The security stamp changes too, so the account's open sessions end at their next validation: a lock may mean
    /// someone is guessing (Identity itself keeps the stamp when it locks). The concurrency stamp stays.
    /// </summary>
    public async Task<DateTimeOffset> LockAsync(string id, TimeSpan span, CancellationToken cancellationToken = default)
    {
        var end = clock.GetUtcNow() + span;
        DateTimeOffset? stored = end;
        var stamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        await db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, stored).SetProperty(u => u.AccessFailedCount, 0)
                .SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
        return end;
    }

    public Task RecordSignInAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        DateTime? value = at.UtcDateTime;
        return db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInUtc, value), cancellationToken);
    }

    /// <summary>Staff keep no sign-in history of their own: the audit log is theirs.</summary>
    public Task RecordAttemptAsync(string? id, string email, SignInStatus status, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private static SignInAccount? ToAccount(StaffUser? user) => user is null ? null : new SignInAccount(user.Id, user.Email ?? user.UserName ?? user.Id, user.DisplayName)
    {
        IsEnabled = user.IsEnabled,
        LockoutEnabled = user.LockoutEnabled,
        LockoutEnd = user.LockoutEnd,
        MustChangePassword = user.MustChangePassword,
        PasswordSetAtUtc = user.PasswordChangedAtUtc ?? user.CreatedAtUtc,
    };
}
