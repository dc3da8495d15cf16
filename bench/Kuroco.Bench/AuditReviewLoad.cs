using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Audit.Review;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// The monthly audit review over a month of 500,000 entries (target: under 60 s). A fresh, migrated SQLite file (the
/// app's own start-up code and indexes); last month (in Tokyo) filled with a mix of staff work in and out of business
/// hours, sign-ins from a few hundred users and addresses, failed sign-ins with some bursts, deletions, exports, IP
/// denials and settings changes. Then the real monthly job (<see cref="AuditReviewMonthlyJob"/>, as Hangfire would run
/// it) prepares the review; the time printed is that job's, totals and findings included.
/// </summary>
public static class AuditReviewLoad
{
    /// <summary>dotnet run -c Release --project bench/Kuroco.Bench -- auditreview [ENTRIES]</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500_000;
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-bench-review-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            await using var provider = await OpenAsync(folder);
            var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, tokyo));
            var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
            var start = TimeZoneInfo.ConvertTimeToUtc(month.ToDateTime(TimeOnly.MinValue), tokyo);
            var end = TimeZoneInfo.ConvertTimeToUtc(month.AddMonths(1).ToDateTime(TimeOnly.MinValue), tokyo);

            var watch = Stopwatch.StartNew();
            Seed(Path.Combine(folder, "kuroco.db"), count, start, end);
            Console.WriteLine($"Seeded {count:N0} entries in {AuditReview.FormatMonth(month)} in {watch.Elapsed.TotalSeconds:N1} s");

            watch.Restart();
            using (var scope = provider.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<AuditReviewMonthlyJob>().ExecuteAsync(CancellationToken.None);
            }
            var elapsed = watch.Elapsed;
            using (var scope = provider.CreateScope())
            {
                var review = await scope.ServiceProvider.GetRequiredService<IAuditReviewService>().GetAsync(month)
                    ?? throw new InvalidOperationException("No review was prepared.");
                Console.WriteLine($"Review job: {elapsed.TotalSeconds:N1} s for {review.EntryCount:N0} entries ({review.EntryCount / elapsed.TotalSeconds:N0} entries/s), state {review.State}");
                foreach (var kind in review.Findings.GroupBy(f => f.Kind))
                {
                    Console.WriteLine($"  {kind.Key,-26} {kind.Count(),5} findings, {kind.Sum(f => f.EntryCount),8:N0} entries");
                }
            }
            return elapsed < TimeSpan.FromSeconds(60) ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open: leave the temp folder.
            }
        }
    }

    private static void Seed(string databasePath, int count, DateTime start, DateTime end)
    {
        var random = new Random(12);
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        var next = 1L + (long)(new SqliteCommand("SELECT COALESCE(MAX(Sequence), 0) FROM AuditEntries", connection).ExecuteScalar() ?? 0L);
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO AuditEntries (Sequence, OccurredAtUtc, ActorId, ActorName, ActorRoles, Action, EntityType, EntityId, Summary, Outcome, IpAddress, UserAgent, CorrelationId, PreviousHash, Hash)
            VALUES ($s, $at, $actorId, $actor, $roles, $action, 'Bench', NULL, $summary, $outcome, $ip, 'bench', NULL, $hash, $hash)
            """;
        var p = new[] { "$s", "$at", "$actorId", "$actor", "$roles", "$action", "$summary", "$outcome", "$ip", "$hash" }
            .Select(name => insert.Parameters.Add(new SqliteParameter(name, null))).ToArray();
        var hash = new string('0', 64);
        var span = (end - start).Ticks;
        string[] staffActions =
        [
            AuditActions.ContentItemSaved, AuditActions.ContentItemPublished, AuditActions.MediaUploaded, AuditActions.StaffUpdated,
            AuditActions.MemberProfileUpdated, AuditActions.ContentItemCreated, AuditActions.SignOut,
        ];
        for (var i = 0; i < count; i++)
        {
            var at = start.AddTicks((long)((double)span * i / count));
            var user = random.Next(300);
            var roll = random.Next(1000);
            string action;
            string? actorId = "u" + user.ToString(CultureInfo.InvariantCulture);
            var actor = $"staff{user}@example.com";
            var roles = user % 10 == 0 ? "Administrator" : "ContentEditor";
            var ip = $"10.{user % 200}.0.{user % 5}";
            var outcome = 0;
            if (roll < 150)
            {
                action = AuditActions.SignInSucceeded;
                if (random.Next(50) == 0)
                {
                    ip = $"198.51.100.{random.Next(250)}";
                }
            }
            else if (roll < 200)
            {
                action = AuditActions.SignInFailed;
                (actorId, roles, outcome) = (null, "", 1);
            }
            else if (roll < 210)
            {
                action = AuditActions.IpDenied;
                (actorId, actor, roles, outcome, ip) = (null, "anonymous", "", 2, $"203.0.113.{random.Next(20)}");
            }
            else if (roll < 215)
            {
                action = AuditActions.ContentItemDeleted;
            }
            else if (roll < 216)
            {
                action = random.Next(4) switch
                {
                    0 => AuditActions.MembersExported,
                    1 => AuditActions.StaffRolesChanged,
                    2 => AuditActions.ApiKeyCreated,
                    _ => AuditActions.ContentVersionRestored,
                };
            }
            else
            {
                action = staffActions[random.Next(staffActions.Length)];
            }
            p[0].Value = next++;
            p[1].Value = at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            p[2].Value = (object?)actorId ?? DBNull.Value;
            p[3].Value = actor;
            p[4].Value = roles;
            p[5].Value = action;
            p[6].Value = action + " by " + actor;
            p[7].Value = outcome;
            p[8].Value = ip;
            p[9].Value = hash;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static async Task<ServiceProvider> OpenAsync(string folder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = folder,
            ["Database:Provider"] = "Sqlite",
            ["Kuroco:Jobs:RunServer"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInfrastructure(configuration, folder);
        services.AddScoped<IAuditContext, BenchAuditContext>();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return provider;
    }

    private sealed class BenchAuditContext : IAuditContext
    {
        private static readonly AuditActor Actor = new(null, "bench", []);

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Actor);

        public AuditOrigin GetOrigin() => new(null, null, "bench");
    }
}
