using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Infrastructure.Identity;

/// <summary>
/// Sign-in must take as long for an unknown email (or a locked or disabled account, which Identity
/// refuses before hashing) as for a wrong password, or the response time tells which accounts exist.
/// This runs the app's own password hasher against a dummy hash made once with the same hasher, so the
/// cost (algorithm, iterations) always matches the real check.
/// </summary>
public sealed class SignInTiming(IPasswordHasher<StaffUser> hasher)
{
    private static readonly StaffUser DummyUser = new() { Id = "dummy", UserName = "dummy" };
    private static string? dummyHash;

    public void VerifyAgainstDummy(string? password)
    {
        // A race here only makes the hash twice; both are equally good.
        var hash = dummyHash ??= hasher.HashPassword(DummyUser, RandomNumberGenerator.GetHexString(32));
        hasher.VerifyHashedPassword(DummyUser, hash, password ?? "");
    }
}
