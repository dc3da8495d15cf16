using BenchmarkDotNet.Attributes;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kuroco.Bench;

/// <summary>
/// The cost of one password verification (what every sign-in pays) with Identity's V3 format
/// (PBKDF2-HMAC-SHA512) at Identity's default iteration count and at the console's.
/// </summary>
[MemoryDiagnoser]
public class PasswordHashingBenchmarks
{
    private PasswordHasher<StaffUser> hasher = default!;
    private string hash = default!;
    private readonly StaffUser user = new() { UserName = "bench@example.com" };

    [Params(100_000, 220_000, 600_000)]
    public int Iterations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        hasher = new PasswordHasher<StaffUser>(Options.Create(new PasswordHasherOptions { IterationCount = Iterations }));
        hash = hasher.HashPassword(user, "Bench-Passw0rd!long");
    }

    [Benchmark]
    public PasswordVerificationResult Verify() => hasher.VerifyHashedPassword(user, hash, "Bench-Passw0rd!long");
}
