using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// "Verify now" throughput: a real SQLite file migrated by the app's start-up holding ENTRIES audit entries (default
/// 1,000,000, a correctly linked and hashed chain written straight into the table), verified through the app's own
/// <see cref="IAuditReader.VerifyChainAsync(Func{AuditVerifyProgress, CancellationToken, Task}?, CancellationToken)"/>
/// the way the job does; prints entries/s. Built once into a temp folder and reused.
/// </summary>
public static class AuditVerifyLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-bench-audit-verify-" + count.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
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
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        var marker = Path.Combine(folder, "filled");
        if (!File.Exists(marker))
        {
            var fill = Stopwatch.StartNew();
            await FillAsync(provider, count);
            await File.WriteAllTextAsync(marker, "ok");
            Console.WriteLine($"Filled {count:N0} entries in {fill.Elapsed.TotalSeconds:N1} s.");
        }

        for (var run = 1; run <= 3; run++)
        {
            await using var scope = provider.CreateAsyncScope();
            var reader = scope.ServiceProvider.GetRequiredService<IAuditReader>();
            var reports = 0;
            var started = Stopwatch.StartNew();
            var result = await reader.VerifyChainAsync((_, _) => { reports++; return Task.CompletedTask; });
            var seconds = started.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {result.EntriesChecked:N0} entries, intact={result.IsIntact}, {seconds:N1} s, {result.EntriesChecked / seconds:N0} entries/s, {reports} progress reports"));
        }
        return 0;
    }

    private static async Task FillAsync(IServiceProvider provider, int count)
    {
        var contexts = provider.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var tail = await db.AuditEntries.OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync();
        var previous = tail?.Hash ?? AuditHasher.GenesisHash;
        var first = (tail?.Sequence ?? 0) + 1;
        var start = new DateTime(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        string[] actions = [AuditActions.SignInSucceeded, AuditActions.StaffUpdated, AuditActions.ContentItemSaved, AuditActions.SignInFailed];
        for (long offset = 0; offset < count; offset += 50_000)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO AuditEntries (Sequence, OccurredAtUtc, ActorId, ActorName, ActorRoles, Action, EntityType, EntityId, Summary,
                    Changes, Outcome, IpAddress, UserAgent, CorrelationId, PreviousHash, Hash)
                VALUES ($s, $at, $actorId, $actor, $roles, $action, $type, $id, $summary, $changes, $outcome, $ip, $ua, $corr, $prev, $hash)
                """;
            string[] names = ["$s", "$at", "$actorId", "$actor", "$roles", "$action", "$type", "$id", "$summary", "$changes", "$outcome", "$ip", "$ua", "$corr", "$prev", "$hash"];
            foreach (var name in names)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }
            for (var i = offset; i < Math.Min(count, offset + 50_000); i++)
            {
                var sequence = first + i;
                var entry = new AuditEntry
                {
                    Sequence = sequence,
                    OccurredAtUtc = start.AddSeconds(i * 30),
                    ActorId = "user-" + (i % 50).ToString(CultureInfo.InvariantCulture),
                    ActorName = "staff" + (i % 50).ToString(CultureInfo.InvariantCulture) + "@example.com",
                    ActorRoles = "ContentEditor",
                    Action = actions[i % actions.Length],
                    EntityType = "ContentItem",
                    EntityId = Guid.NewGuid().ToString(),
                    Summary = "staff" + (i % 50).ToString(CultureInfo.InvariantCulture) + "@example.com saved item " + i.ToString(CultureInfo.InvariantCulture) + ".",
                    Changes = i % 3 == 0 ? AuditChanges.Serialize([new FieldChange("Title", "before " + i.ToString(CultureInfo.InvariantCulture), "after")]) : null,
                    Outcome = AuditOutcome.Success,
                    IpAddress = "192.0.2." + (i % 200).ToString(CultureInfo.InvariantCulture),
                    UserAgent = "Mozilla/5.0 (bench)",
                    CorrelationId = "bench-" + i.ToString(CultureInfo.InvariantCulture),
                    PreviousHash = previous,
                };
                entry.Hash = AuditHasher.Compute(entry);
                previous = entry.Hash;
                object?[] values = [entry.Sequence, entry.OccurredAtUtc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                    entry.ActorId, entry.ActorName, entry.ActorRoles, entry.Action, entry.EntityType, entry.EntityId, entry.Summary,
                    entry.Changes, (int)entry.Outcome, entry.IpAddress, entry.UserAgent, entry.CorrelationId, entry.PreviousHash, entry.Hash];
                for (var p = 0; p < values.Length; p++)
                {
                    command.Parameters[p].Value = values[p] ?? DBNull.Value;
                }
                await command.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
    }

    private sealed class BenchAuditContext : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(AuditActor.System);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }
}
