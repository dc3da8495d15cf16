using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kuroco.Bench;

/// <summary>
/// Member sign-in throughput through the member API (<c>POST /api/v1/members/login</c> with the site's key), and
/// apart from it the cost of the password hash every sign-in pays, measured with the app's own
/// <see cref="IPasswordHasher{Member}"/> (same options as the running app). Used by bench/member-signin.sh:
/// <list type="bullet">
/// <item><c>seed-members DATA_FOLDER [MEMBERS=20]</c>: active members <c>bench-member-NNN@bench.example</c> with
/// <see cref="Password"/> and a read API key (printed last) in a fresh data folder, through the real services;</item>
/// <item><c>member-signin URL API_KEY [MEMBERS=20] [CONCURRENCY=4] [SECONDS=20]</c>: the load (loopback only);</item>
/// <item><c>member-hash [COUNT=20]</c>: milliseconds per password verification on one core.</item>
/// </list>
/// </summary>
internal static class MemberSignInLoad
{
    public const string Password = "Quiet-Harbor-7-Lantern!";

    public static string Email(int i) => string.Create(CultureInfo.InvariantCulture, $"bench-member-{i:000}@bench.example");

    private static IHost BuildHost(string dataPath)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = dataPath,
            ["Kuroco:Jobs:RunServer"] = "false",
            ["Kuroco:Bootstrap:AdminEmail"] = "bench@example.com",
            ["Kuroco:Bootstrap:AdminPassword"] = Password,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddInfrastructure(builder.Configuration, dataPath);
        builder.Services.AddScoped<IAuditContext, SeedAuditContext>();
        return builder.Build();
    }

    public static async Task<int> SeedAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("seed-members DATA_FOLDER [MEMBERS=20]");
            return 2;
        }
        var dataPath = Path.GetFullPath(args[0]);
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        using var host = BuildHost(dataPath);
        await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KurocoDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<Member>>();
        var now = DateTime.UtcNow;
        for (var i = 1; i <= count; i++)
        {
            db.Members.Add(NewMember(Email(i), string.Create(CultureInfo.InvariantCulture, $"Bench Member {i}"), hasher, now));
        }
        await db.SaveChangesAsync();
        var created = await scope.ServiceProvider.GetRequiredService<IApiKeyService>().CreateAsync(new CreateApiKeyRequest
        {
            Name = "Member sign-in benchmark",
            AllTypes = true,
            Access = ApiAccess.Read,
        });
        if (!created.TryGetValue(out var issued))
        {
            Console.Error.WriteLine("The key was refused: " + string.Join(" ", created.Errors));
            return 1;
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {count} active members."));
        Console.WriteLine(issued.Secret);
        return 0;
    }

    /// <summary>An active, verified member with <see cref="Password"/> (hashed with the app's hasher).</summary>
    public static Member NewMember(string email, string displayName, IPasswordHasher<Member> hasher, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = email,
            DisplayName = displayName,
            Language = MemberLanguages.English,
            Status = MemberStatus.Active,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            EmailVerifiedAtUtc = now,
            PasswordSetAtUtc = now,
        };
        member.PasswordHash = hasher.HashPassword(member, Password);
        member.RefreshDerivedFields();
        return member;
    }

    /// <summary>The app's member hasher (its configured iterations), one verification at a time on one thread.</summary>
    public static Task<int> HashCostAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var dataPath = Path.Combine(Path.GetTempPath(), "kuroco-bench-hash-" + Guid.NewGuid().ToString("N"));
        using var host = BuildHost(dataPath);
        var hasher = host.Services.GetRequiredService<IPasswordHasher<Member>>();
        var member = new Member { Id = Guid.NewGuid() };
        var hash = hasher.HashPassword(member, Password);
        hasher.VerifyHashedPassword(member, hash, Password);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (hasher.VerifyHashedPassword(member, hash, Password) == PasswordVerificationResult.Failed)
            {
                return Task.FromResult(1);
            }
        }
        var perHash = watch.Elapsed.TotalMilliseconds / count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"password hash (PBKDF2 as configured, {hash.Length} chars): {perHash:F1} ms per verification on one core " +
            $"-> at most {1000 / perHash:F1} sign-ins/s per core, {Environment.ProcessorCount * 1000 / perHash:F1}/s on {Environment.ProcessorCount} cores"));
        return Task.FromResult(0);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("member-signin URL API_KEY [MEMBERS=20] [CONCURRENCY=4] [SECONDS=20]");
            return 2;
        }
        var baseUri = new Uri(args[0]);
        if (!baseUri.IsLoopback)
        {
            Console.Error.WriteLine("Load is only ever sent to this machine (127.0.0.1/localhost).");
            return 2;
        }
        var apiKey = args[1];
        var members = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;
        var duration = TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20);

        using var client = new HttpClient { BaseAddress = baseUri };
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        var latencies = new List<double>();
        var errors = 0;
        var next = 0;
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var local = new List<double>();
            while (stop.Elapsed < duration)
            {
                var email = Email(Interlocked.Increment(ref next) % members + 1);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/v1/members/login", new { email, password = Password, rememberMe = false });
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        await response.Content.ReadAsStringAsync();
                        local.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else if (Interlocked.Increment(ref errors) <= 3)
                    {
                        Console.Error.WriteLine($"unexpected answer: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            lock (latencies)
            {
                latencies.AddRange(local);
            }
        }).ToList();
        await Task.WhenAll(workers);
        var seconds = stop.Elapsed.TotalSeconds;
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"member sign-in, concurrency {concurrency}, {seconds:F1} s: {latencies.Count} sign-ins ({latencies.Count / seconds:F1}/s), {errors} errors; " +
            $"latency p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms"));
        return errors == 0 ? 0 : 1;
    }

    private sealed class SeedAuditContext : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(new AuditActor(null, "bench seeder", []));

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }
}
