using System.Buffers.Binary;
using System.Diagnostics;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security;
using Kuroco.Core.Security.SignIn;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Kuroco.Tests.Integration.Security;

/// <summary>The stored policy decides lockout, history and iteration count; changes to it are audited.</summary>
public sealed class PasswordPolicyEnforcementTests : IClassFixture<KurocoAppFactory>
{
    private const string Wrong = "Wrong-Kettle-93!sun";
    private readonly KurocoAppFactory factory;
    private readonly ITestOutputHelper output;

    public PasswordPolicyEnforcementTests(KurocoAppFactory factory, ITestOutputHelper output)
    {
        this.factory = factory;
        this.output = output;
        factory.TestServices ??= s => s.AddSingleton<IPasswordHasher<StaffUser>, CountingHasher>();
        // These tests are about the lockout: the per-account throttle in front of it must not answer first.
        factory.Settings.TryAdd("Kuroco:RateLimits:SignInPerAccountPerMinute", "1000");
    }

    private Task<Result<IReadOnlyList<FieldChange>>> TrySavePolicyAsync(PasswordPolicy policy) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(policy));

    private async Task SavePolicyAsync(PasswordPolicy policy)
    {
        var saved = await TrySavePolicyAsync(policy);
        Assert.True(saved.Succeeded, saved.Message);
    }

    private async Task<SignInStatus> CheckAsync(string userId, string password)
    {
        var email = (await UserAsync(userId)).Email;
        return (await factory.WithSignInAsync(signIn => signIn.PasswordSignInAsync(email, password, rememberMe: false))).Status;
    }

    private Task<StaffUser> UserAsync(string userId) => factory.WithScopeAsync(async sp =>
        (await sp.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(userId))!);

    private Task<List<Kuroco.Core.Mail.OutboxMessage>> MailsToAsync(string email) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().Where(m => m.ToAddress == email).ToListAsync());

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task The_account_locks_at_exactly_the_policys_number_of_failures(int max)
    {
        await SavePolicyAsync(new PasswordPolicy { MaxFailedAttempts = max });
        var userId = await factory.CreateStaffAsync($"lock{max}-{Guid.NewGuid():N}@test.local");

        for (var i = 1; i < max; i++)
        {
            Assert.Equal(SignInStatus.Failed, await CheckAsync(userId, Wrong));
            Assert.Null((await UserAsync(userId)).LockoutEnd);
            Assert.Equal(i, (await UserAsync(userId)).AccessFailedCount);
        }
        Assert.Equal(SignInStatus.LockedOut, await CheckAsync(userId, Wrong));
        var locked = await UserAsync(userId);
        Assert.True(locked.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14));
        Assert.Equal(SignInStatus.LockedOut, await CheckAsync(userId, KurocoAppFactory.StaffPassword));
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task A_success_before_the_limit_starts_the_count_again()
    {
        await SavePolicyAsync(new PasswordPolicy());
        var userId = await factory.CreateStaffAsync($"reset-{Guid.NewGuid():N}@test.local");
        for (var i = 0; i < 4; i++)
        {
            await CheckAsync(userId, Wrong);
        }
        Assert.Equal(SignInStatus.Succeeded, await CheckAsync(userId, KurocoAppFactory.StaffPassword));
        Assert.Equal(0, (await UserAsync(userId)).AccessFailedCount);
        Assert.Equal(SignInStatus.Failed, await CheckAsync(userId, Wrong));
    }

    [Fact]
    public async Task Locked_until_unlocked_means_a_lockout_of_decades()
    {
        await SavePolicyAsync(new PasswordPolicy { MaxFailedAttempts = 3, LockoutUntilUnlocked = true });
        var userId = await factory.CreateStaffAsync($"forever-{Guid.NewGuid():N}@test.local");
        for (var i = 0; i < 3; i++)
        {
            await CheckAsync(userId, Wrong);
        }
        Assert.True((await UserAsync(userId)).LockoutEnd > DateTimeOffset.UtcNow.AddYears(10));
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task A_right_password_succeeds_when_the_account_changed_since_it_was_read()
    {
        // What two simultaneous sign-ins of one account do to each other: the row changes between
        // reading the account and checking its password. The right password must still sign in,
        // and the earlier failure must be cleared.
        await SavePolicyAsync(new PasswordPolicy());
        var userId = await factory.CreateStaffAsync($"stale-{Guid.NewGuid():N}@test.local");
        Assert.Equal(SignInStatus.Failed, await CheckAsync(userId, Wrong));

        var result = await factory.WithSignInAsync(async (signIn, sp) =>
        {
            // The scope's copy of the account is read (and tracked) before another scope changes the row.
            var user = (await sp.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(userId))!;
            Assert.Equal(1, user.AccessFailedCount);
            await factory.UpdateStaffAsync(userId, u => u.DisplayName = "Changed elsewhere");
            return await signIn.PasswordSignInAsync(user.Email, KurocoAppFactory.StaffPassword, rememberMe: false);
        });

        Assert.Equal(SignInStatus.Succeeded, result.Status);
        Assert.Equal(0, (await UserAsync(userId)).AccessFailedCount);
    }

    [Fact]
    public async Task Parallel_sign_ins_with_the_right_password_all_succeed()
    {
        // A few tabs or devices signing in at once: the counting that guards against parallel guesses
        // must not turn a right password into a failure. (More attempts in flight than the policy's
        // allowance are refused unchecked, by design: that is the parallel-guessing guard.)
        await SavePolicyAsync(new PasswordPolicy());
        var userId = await factory.CreateStaffAsync($"together-{Guid.NewGuid():N}@test.local");
        for (var round = 0; round < 5; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => CheckAsync(userId, KurocoAppFactory.StaffPassword))));
            Assert.All(results, r => Assert.Equal(SignInStatus.Succeeded, r));
        }
        Assert.Equal(0, (await UserAsync(userId)).AccessFailedCount);
    }

    [Fact]
    public async Task Fifty_parallel_wrong_passwords_get_no_more_than_the_allowed_checks()
    {
        await SavePolicyAsync(new PasswordPolicy());
        var email = $"parallel-{Guid.NewGuid():N}@test.local";
        var userId = await factory.CreateStaffAsync(email);
        var hasher = (CountingHasher)factory.Services.GetRequiredService<IPasswordHasher<StaffUser>>();
        var checkedBefore = hasher.Verifications(userId);

        var started = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => CheckAsync(userId, Wrong))));
        started.Stop();

        var verified = hasher.Verifications(userId) - checkedBefore;
        output.WriteLine($"50 parallel attempts: {verified} passwords verified, {results.Count(r => r == SignInStatus.LockedOut)} refused as locked, {started.ElapsedMilliseconds} ms");
        Assert.True(verified <= 5, $"{verified} passwords were verified; the policy allows 5.");
        Assert.DoesNotContain(results, r => r == SignInStatus.Succeeded);
        var user = await UserAsync(userId);
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow);
        Assert.Equal(SignInStatus.LockedOut, await CheckAsync(userId, KurocoAppFactory.StaffPassword));

        // One lock, so one audit entry and one mail to the user.
        Assert.Single(await MailsToAsync(email), m => m.Subject.Contains("locked", StringComparison.Ordinal));
        Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.LockedOut && e.EntityId == userId);

        // The refused attempts left nothing behind: once the lock has run out, counting starts afresh.
        await factory.UpdateStaffAsync(userId, u => u.LockoutEnd = DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.Equal(SignInStatus.Failed, await CheckAsync(userId, Wrong));
        Assert.Equal(1, (await UserAsync(userId)).AccessFailedCount);
        Assert.Equal(SignInStatus.Succeeded, await CheckAsync(userId, KurocoAppFactory.StaffPassword));
        Assert.Equal(0, (await UserAsync(userId)).AccessFailedCount);
    }

    [Fact]
    public async Task A_lock_mails_the_user_and_every_enabled_security_officer()
    {
        await SavePolicyAsync(new PasswordPolicy { MaxFailedAttempts = 3 });
        var officer = $"officer-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(officer, StaffRoles.SecurityOfficer);
        var disabledOfficer = $"off-officer-{Guid.NewGuid():N}@test.local";
        var disabledId = await factory.CreateStaffAsync(disabledOfficer, StaffRoles.SecurityOfficer);
        await factory.UpdateStaffAsync(disabledId, u => u.IsEnabled = false);
        var email = $"mail-lock-{Guid.NewGuid():N}@test.local";
        var userId = await factory.CreateStaffAsync(email);

        for (var i = 0; i < 3; i++)
        {
            await CheckAsync(userId, Wrong);
        }

        var toUser = Assert.Single(await MailsToAsync(email));
        Assert.Contains("locked", toUser.Subject);
        Assert.Contains("ロック", toUser.Body);
        var toOfficer = Assert.Single(await MailsToAsync(officer));
        Assert.Contains(email, toOfficer.Subject);
        Assert.Empty(await MailsToAsync(disabledOfficer));
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task A_password_change_mails_the_user_in_english_and_japanese()
    {
        await SavePolicyAsync(new PasswordPolicy());
        var email = $"mail-change-{Guid.NewGuid():N}@test.local";
        var userId = await factory.CreateStaffAsync(email);
        Assert.Empty(await MailsToAsync(email));

        await ChangeAsync(userId, KurocoAppFactory.StaffPassword, "Maple-Lantern-93!dew");

        var mail = Assert.Single(await MailsToAsync(email));
        Assert.Contains("was changed at", mail.Body);
        Assert.Contains("パスワードが", mail.Body);
        Assert.DoesNotContain("Maple-Lantern", mail.Body);
    }

    private Task<IdentityResult> ChangeAsync(string userId, string current, string next) => factory.WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<StaffUser>>();
        return await users.ChangePasswordAsync((await users.FindByIdAsync(userId))!, current, next);
    });

    [Fact]
    public async Task History_refuses_the_last_passwords_and_allows_them_again_after_enough_newer_ones()
    {
        await SavePolicyAsync(new PasswordPolicy { HistoryCount = 2 });
        var userId = await factory.CreateStaffAsync($"history-{Guid.NewGuid():N}@test.local");
        const string first = KurocoAppFactory.StaffPassword, p1 = "Harbor-Kettle-93!sun", p2 = "Maple-Lantern-93!dew", p3 = "Orbit-Willow-58?fig";

        Assert.True((await ChangeAsync(userId, first, p1)).Succeeded);
        var reused = await ChangeAsync(userId, p1, first);
        var error = Assert.Single(reused.Errors);
        Assert.Equal(PasswordRules.Codes.Reused, error.Code);
        Assert.Equal("The password must differ from your last 2 passwords.", error.Description);
        // The current password counts too.
        Assert.Contains((await ChangeAsync(userId, p1, p1)).Errors, e => e.Code == PasswordRules.Codes.Reused);

        Assert.True((await ChangeAsync(userId, p1, p2)).Succeeded);
        Assert.True((await ChangeAsync(userId, p2, p3)).Succeeded);
        Assert.Contains((await ChangeAsync(userId, p3, p2)).Errors, e => e.Code == PasswordRules.Codes.Reused);
        // Two newer passwords (p2, p3) since the first one: it may be used again.
        Assert.True((await ChangeAsync(userId, p3, first)).Succeeded);

        var hashes = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().PasswordHistory
            .Where(h => h.UserId == userId).Select(h => h.PasswordHash).ToListAsync());
        Assert.Equal(5, hashes.Count);
        Assert.DoesNotContain(hashes, h => h.Contains("Kettle", StringComparison.Ordinal));
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task The_policy_decides_which_new_passwords_identity_accepts()
    {
        var userId = await factory.CreateStaffAsync($"len-{Guid.NewGuid():N}@test.local", []);
        await SavePolicyAsync(new PasswordPolicy { MinLength = 24 });
        var refused = await ChangeAsync(userId, KurocoAppFactory.StaffPassword, "Maple-Lantern-93!dew");
        Assert.Contains(refused.Errors, e => e.Code == PasswordRules.Codes.TooShort);
        await SavePolicyAsync(new PasswordPolicy { MinLength = 8, RequireSymbol = false, RequireUppercase = false, MinStrengthScore = 0 });
        Assert.True((await ChangeAsync(userId, KurocoAppFactory.StaffPassword, "lanternmaple93")).Succeeded);
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task An_old_hash_is_upgraded_to_220000_iterations_at_the_next_sign_in()
    {
        await SavePolicyAsync(new PasswordPolicy());
        var email = $"rehash-{Guid.NewGuid():N}@test.local";
        var userId = await factory.CreateStaffAsync(email);
        var oldHasher = new PasswordHasher<StaffUser>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 }));
        await factory.UpdateStaffAsync(userId, u => u.PasswordHash = oldHasher.HashPassword(u, KurocoAppFactory.StaffPassword));
        Assert.Equal(100_000, Iterations((await UserAsync(userId)).PasswordHash!));

        using var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        Assert.Equal(220_000, Iterations((await UserAsync(userId)).PasswordHash!));
    }

    /// <summary>Identity's v3 format: 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), …</summary>
    private static int Iterations(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4));
    }

    [Fact]
    public async Task A_policy_change_is_audited_with_before_and_after_of_each_changed_setting()
    {
        await SavePolicyAsync(new PasswordPolicy());
        var before = (await factory.AuditEntriesAsync()).Count;

        await SavePolicyAsync(new PasswordPolicy { MinLength = 14, RejectCommonPasswords = false });

        var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before));
        Assert.Equal(AuditActions.PasswordPolicyChanged, entry.Action);
        Assert.Contains("\"MinLength\"", entry.Changes);
        Assert.Contains("\"12\"", entry.Changes);
        Assert.Contains("\"14\"", entry.Changes);
        Assert.Contains("\"RejectCommonList\"", entry.Changes);
        Assert.DoesNotContain("HistoryCount", entry.Changes);
        Assert.Equal(14, (await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().GetAsync())).MinLength);
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task An_invalid_policy_is_refused_and_nothing_changes()
    {
        await SavePolicyAsync(new PasswordPolicy { MinLength = 13 });
        var before = (await factory.AuditEntriesAsync()).Count;

        var refused = await TrySavePolicyAsync(new PasswordPolicy { MinLength = 7, HistoryCount = 3 });
        Assert.Equal(ErrorKind.Validation, refused.Error);
        Assert.Equal(nameof(PasswordPolicy.MinLength), Assert.Single(refused.FieldErrors).Field);

        Assert.Equal(before, (await factory.AuditEntriesAsync()).Count);
        factory.Services.GetRequiredService<Kuroco.Infrastructure.Security.PasswordPolicyCache>().Clear();
        var stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().GetAsync());
        Assert.Equal(13, stored.MinLength);
        Assert.Equal(5, stored.HistoryCount);
        await SavePolicyAsync(new PasswordPolicy());
    }

    /// <summary>Identity's hasher, counting verifications per user: shows how many guesses were actually checked.</summary>
    private sealed class CountingHasher(IOptions<PasswordHasherOptions> options) : PasswordHasher<StaffUser>(options)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> counts = new();

        public int Verifications(string userId) => counts.GetValueOrDefault(userId);

        public override PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
        {
            counts.AddOrUpdate(user.Id, 1, (_, n) => n + 1);
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
