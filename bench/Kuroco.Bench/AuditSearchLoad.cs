using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// <c>auditsearch [ENTRIES]</c>: the audit search at scale. A real SQLite file migrated by the app's start-up code (so the
/// FTS5 trigram index and its triggers are the production ones) is filled with ENTRIES (default 5,000,000) audit entries
/// over the last 12 months: a realistic mix of actions (sign-ins most), 300 staff actors with roles, 2,000 client addresses
/// (IPv4 and IPv6), English and Japanese summaries and changes, each row hashed into the chain with the app's
/// <see cref="AuditHasher"/>. Then, through the app's own <see cref="IAuditReader"/> (the page's and the API's query path,
/// count included): p95 of the first page unfiltered, of user + action + last 30 days, of a page 10,000 rows deep (keyset),
/// and of free-text searches over 12 months; export rows/s (the stream the CSV/JSONL exports read); and append throughput
/// through <see cref="IAuditLog"/> with the FTS index. Built once into a temp folder and reused; delete it to rebuild.
/// </summary>
public static class AuditSearchLoad
{
    private const string Version = "v1";
    private const int BatchSize = 50_000;
    private const int Runs = 40;
    private const int PageSize = 50;

    private static readonly string[] Roles = ["Administrator", "ContentEditor", "SecurityOfficer", "SupportStaff", "Operator"];
    private static readonly string[] Titles = ["新商品のお知らせ", "年末年始の営業について", "採用情報", "会社概要", "Spring campaign", "Privacy policy", "お問い合わせ", "製品マニュアル", "決算公告", "Release notes"];
    private static readonly string[] JapaneseNames = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];

    public static async Task<int> RunAsync(string[] args)
    {
        var entries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000_000;
        var folder = Path.Combine(Path.GetTempPath(), $"kuroco-bench-audit-{Version}-{entries}");
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
            var started = Stopwatch.StartNew();
            await FillAsync(provider, entries);
            await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            Console.WriteLine($"Filled {folder} with {entries:N0} entries in {started.Elapsed.TotalSeconds:N1} s ({entries / started.Elapsed.TotalSeconds:N0} entries/s, chain hashes and FTS triggers included).");
        }
        var size = new DirectoryInfo(folder).EnumerateFiles("kuroco.db*").Sum(f => f.Length);
        Console.WriteLine($"Database: {size / 1024.0 / 1024 / 1024:N2} GiB.");

        var now = DateTime.UtcNow;
        await using (var scope = provider.CreateAsyncScope())
        {
            var reader = scope.ServiceProvider.GetRequiredService<IAuditReader>();
            await MeasureAsync("first page, unfiltered", () => reader.SearchAsync(new AuditQuery(PageSize: PageSize)));
            var userAction = new AuditQuery(Action: AuditActions.ContentItemSaved, FromUtc: now.AddDays(-30), PageSize: PageSize) { User = Actor(7).Name };
            await MeasureAsync("user + action + last 30 days", () => reader.SearchAsync(userAction));

            // The cursor of the page 10,000 rows deep, reached by walking the pages as a person would.
            var walk = Stopwatch.StartNew();
            AuditCursor? cursor = null;
            for (var i = 0; i < 10_000 / PageSize; i++)
            {
                cursor = (await reader.SearchAsync(new AuditQuery(PageSize: PageSize) { Older = cursor })).Older;
            }
            Console.WriteLine($"Walked 200 pages to depth 10,000 in {walk.ElapsedMilliseconds:N0} ms.");
            await MeasureAsync("page 10,000 rows deep", () => reader.SearchAsync(new AuditQuery(PageSize: PageSize) { Older = cursor }));

            var yearAgo = now.AddMonths(-12);
            var texts = new (string Name, AuditQuery Query)[]
            {
                ("free text, 12 months: actor email (rare)", new AuditQuery(Text: Actor(123).Name, FromUtc: yearAgo, PageSize: PageSize)),
                ("free text, 12 months: Japanese 決算公告", new AuditQuery(Text: "決算公告", FromUtc: yearAgo, PageSize: PageSize)),
                ("free text, 12 months: Japanese パスワード (common)", new AuditQuery(Text: "パスワード", FromUtc: yearAgo, PageSize: PageSize)),
                ("free text, 12 months: IP 10.1.7.", new AuditQuery(Text: "10.1.7.", FromUtc: yearAgo, PageSize: PageSize)),
                ("free text + failed outcome, 30 days: 田中", new AuditQuery(Text: "田中", Outcome: AuditOutcome.Failure, FromUtc: now.AddDays(-30), PageSize: PageSize)),
            };
            foreach (var (name, text) in texts)
            {
                // What the console waits for before it shows rows (the total follows on its own), then the total, then both
                // in one call as the API does.
                await MeasureAsync(name + " — rows", () => reader.SearchAsync(text with { WithoutTotal = true }));
                await MeasureAsync(name + " — total", async () => { var t = await reader.CountAsync(text); return new AuditPage([], t.Count) { TotalIsExact = t.IsExact }; }, runs: 10);
                await MeasureAsync(name + " — both (API)", () => reader.SearchAsync(text), runs: 10);
            }
            await MeasureAsync("CIDR 10.1.0.0/16, 30 days", () => reader.SearchAsync(new AuditQuery(FromUtc: now.AddDays(-30), PageSize: PageSize) { Address = Range("10.1.0.0/16") }));

            // Export: the stream the CSV and JSON Lines exports read (keyset batches), last 30 days, into a CSV writer.
            var export = Stopwatch.StartNew();
            var rows = 0L;
            await using (var sink = new StreamWriter(Stream.Null, new UTF8Encoding(true)))
            {
                await foreach (var entry in reader.StreamAsync(new AuditQuery(FromUtc: now.AddDays(-30))))
                {
                    await sink.WriteAsync(entry.Summary);
                    rows++;
                }
            }
            Console.WriteLine($"Export stream, last 30 days: {rows:N0} rows in {export.Elapsed.TotalSeconds:N1} s = {rows / export.Elapsed.TotalSeconds:N0} rows/s.");
        }

        // Appends through the app's IAuditLog (tail read, hash, insert, FTS trigger; one transaction each).
        const int appends = 5_000;
        var append = Stopwatch.StartNew();
        await using (var scope = provider.CreateAsyncScope())
        {
            var log = scope.ServiceProvider.GetRequiredService<IAuditLog>();
            for (var i = 0; i < appends; i++)
            {
                // As the app writes them now: language-neutral, the values as parameters (indexed for free text too).
                await log.WriteAsync(new AuditRecord(AuditActions.ContentItemSaved, "ContentItem", Guid.NewGuid().ToString(),
                    AuditParameters.Of(("title", Titles[i % Titles.Length]), ("type", "news"), ("email", $"bench{i}@example.com"))));
            }
        }
        Console.WriteLine($"Append through IAuditLog, one writer: {appends:N0} entries in {append.Elapsed.TotalSeconds:N1} s = {appends / append.Elapsed.TotalSeconds:N0} entries/s.");

        // As a busy server appends: many requests at once (16 writers), each awaiting its own committed entry.
        const int writers = 16;
        var concurrent = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            await using var scope = provider.CreateAsyncScope();
            var log = scope.ServiceProvider.GetRequiredService<IAuditLog>();
            for (var i = 0; i < appends / writers; i++)
            {
                await log.WriteAsync(new AuditRecord(AuditActions.ContentItemSaved, "ContentItem", Guid.NewGuid().ToString(),
                    AuditParameters.Of(("title", Titles[i % Titles.Length]), ("type", "news"), ("email", $"writer{w}@example.com"))));
            }
        }));
        var written = appends / writers * writers;
        Console.WriteLine($"Append through IAuditLog, {writers} writers at once: {written:N0} entries in {concurrent.Elapsed.TotalSeconds:N1} s = {written / concurrent.Elapsed.TotalSeconds:N0} entries/s.");
        await using (var scope = provider.CreateAsyncScope())
        {
            // What the daily job does after the purge: merge the segments the appends left.
            var merge = Stopwatch.StartNew();
            var steps = await scope.ServiceProvider.GetRequiredService<AuditSearchIndexMaintenance>().MergeAsync(CancellationToken.None);
            Console.WriteLine($"Search index merge after the appends: {steps} steps in {merge.Elapsed.TotalSeconds:N1} s.");
            var verified = await scope.ServiceProvider.GetRequiredService<IAuditReader>().VerifyChainAsync();
            Console.WriteLine($"Chain after the appends: {(verified.IsIntact ? "intact" : "BROKEN")} ({verified.EntriesChecked:N0} entries checked).");
        }
        return 0;
    }

    private static AuditAddressRange Range(string text) => AuditAddressRange.TryParse(text, out var range) ? range! : throw new ArgumentException(text);

    private static async Task MeasureAsync(string name, Func<Task<AuditPage>> search, int runs = Runs)
    {
        var first = await search();
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await search();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var p95 = times[(int)Math.Ceiling(runs * 0.95) - 1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-66} p50 {times[runs / 2],7:N1} ms  p95 {p95,7:N1} ms  ({first.Items.Count} rows, total {first.TotalCount:N0}{(first.TotalIsExact ? "" : "+")})"));
    }

    private static (string Id, string Name, string Roles) Actor(int n) =>
        ($"staff-{n:D4}", $"staff{n:D3}@example.co.jp", Roles[n % Roles.Length] + (n % 7 == 0 ? ",SecurityOfficer" : ""));

    private static async Task FillAsync(IServiceProvider provider, int count)
    {
        var contexts = provider.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        var random = new Random(12);
        var end = DateTime.UtcNow;
        var start = end.AddMonths(-12);
        var step = (end - start).Ticks / count;
        // After what the start-up wrote (the first administrator's creation).
        var tail = await db.AuditEntries.OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync();
        var previous = tail?.Hash ?? AuditHasher.GenesisHash;
        var sequence = tail?.Sequence ?? 0;
        var actions = WeightedActions();
        // Bulk load: the search index is filled once at the end ('rebuild' reads the rows in order, far faster than a trigger
        // per row), then the trigger is put back exactly as the migration created it.
        string? trigger;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'TR_AuditEntries_Search_Insert'";
            trigger = (string?)await read.ExecuteScalarAsync();
        }
        await Exec(connection, "DROP TRIGGER IF EXISTS \"TR_AuditEntries_Search_Insert\"");
        // A page cache that holds the indexes while they grow (random entity ids would otherwise make every insert a read).
        await Exec(connection, "PRAGMA cache_size = -2000000");
        for (var batchStart = 0; batchStart < count; batchStart += BatchSize)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO "AuditEntries" ("Sequence", "OccurredAtUtc", "ActorId", "ActorName", "ActorRoles", "Action", "EntityType", "EntityId",
                    "Summary", "Changes", "Outcome", "IpAddress", "UserAgent", "CorrelationId", "PreviousHash", "Hash")
                VALUES ($seq, $at, $actorId, $actorName, $roles, $action, $type, $id, $summary, $changes, $outcome, $ip, $ua, $corr, $prev, $hash)
                """;
            var p = new Dictionary<string, SqliteParameter>();
            foreach (var name in new[] { "seq", "at", "actorId", "actorName", "roles", "action", "type", "id", "summary", "changes", "outcome", "ip", "ua", "corr", "prev", "hash" })
            {
                p[name] = insert.Parameters.Add("$" + name, SqliteType.Text);
            }
            insert.Prepare();
            for (var n = batchStart; n < Math.Min(count, batchStart + BatchSize); n++)
            {
                var entry = Entry(random, actions, ++sequence, new DateTime(start.Ticks + (n * step) + random.Next(0, (int)Math.Min(step, int.MaxValue)), DateTimeKind.Utc), previous);
                previous = entry.Hash;
                p["seq"].Value = entry.Sequence;
                p["at"].Value = entry.OccurredAtUtc.ToString("yyyy'-'MM'-'dd HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
                p["actorId"].Value = (object?)entry.ActorId ?? DBNull.Value;
                p["actorName"].Value = entry.ActorName;
                p["roles"].Value = entry.ActorRoles;
                p["action"].Value = entry.Action;
                p["type"].Value = entry.EntityType;
                p["id"].Value = (object?)entry.EntityId ?? DBNull.Value;
                p["summary"].Value = entry.Summary;
                p["changes"].Value = (object?)entry.Changes ?? DBNull.Value;
                p["outcome"].Value = (int)entry.Outcome;
                p["ip"].Value = (object?)entry.IpAddress ?? DBNull.Value;
                p["ua"].Value = (object?)entry.UserAgent ?? DBNull.Value;
                p["corr"].Value = (object?)entry.CorrelationId ?? DBNull.Value;
                p["prev"].Value = entry.PreviousHash;
                p["hash"].Value = entry.Hash;
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
            if ((batchStart / BatchSize) % 10 == 9)
            {
                Console.WriteLine($"  {sequence:N0} entries…");
            }
        }
        var rebuild = Stopwatch.StartNew();
        await Exec(connection, "INSERT INTO \"AuditSearch\" (\"AuditSearch\") VALUES ('rebuild')");
        if (trigger is not null)
        {
            await Exec(connection, trigger);
        }
        Console.WriteLine($"  search index rebuilt in {rebuild.Elapsed.TotalSeconds:N1} s");
        // No ANALYZE: the app never runs it, so the planner works here as it does in production (no statistics).
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static List<string> WeightedActions()
    {
        var list = new List<string>();
        void Add(string action, int weight) => list.AddRange(Enumerable.Repeat(action, weight));
        Add(AuditActions.SignInSucceeded, 30);
        Add(AuditActions.SignInFailed, 6);
        Add(AuditActions.SignOut, 10);
        Add(AuditActions.AccessDenied, 2);
        Add(AuditActions.PasswordChanged, 2);
        Add(AuditActions.ContentItemSaved, 20);
        Add(AuditActions.ContentItemPublished, 6);
        Add(AuditActions.MediaUploaded, 5);
        Add(AuditActions.StaffUpdated, 2);
        Add(AuditActions.StaffRolesChanged, 1);
        Add(AuditActions.MemberProfileUpdated, 8);
        Add(AuditActions.WebhookDeliveryFailed, 3);
        Add(AuditActions.ApiKeyCreated, 1);
        Add(AuditActions.IpDenied, 2);
        Add(AuditActions.MembersExported, 1);
        Add(AuditActions.LockedOut, 1);
        return list;
    }

    private static AuditEntry Entry(Random random, List<string> actions, long sequence, DateTime at, string previous)
    {
        var action = actions[random.Next(actions.Count)];
        var actorNumber = (int)Math.Min(299, Math.Abs(random.NextDouble() * random.NextDouble() * 300));
        var (actorId, actorName, roles) = Actor(actorNumber);
        var ip = random.Next(10) == 0
            ? $"2001:db8:{random.Next(1, 200):x}::{random.Next(1, 0xffff):x}"
            : $"10.{random.Next(1, 5)}.{random.Next(0, 40)}.{random.Next(1, 255)}";
        var title = Titles[random.Next(Titles.Length)];
        var person = JapaneseNames[random.Next(JapaneseNames.Length)];
        var japanese = random.Next(2) == 0;
        var outcome = AuditOutcome.Success;
        string type = "Staff", summary;
        string? id = actorId, changes = null;
        switch (action)
        {
            case AuditActions.SignInFailed:
                outcome = AuditOutcome.Failure;
                summary = japanese ? $"{actorName} のサインインに失敗しました（パスワードが違います）。" : $"Failed sign-in for {actorName}: wrong password.";
                break;
            case AuditActions.AccessDenied or AuditActions.IpDenied:
                outcome = AuditOutcome.Denied;
                type = "Page";
                id = "/audit";
                summary = $"Access to /audit denied for {actorName}.";
                break;
            case AuditActions.PasswordChanged:
                summary = japanese ? $"{actorName} がパスワードを変更しました。" : $"{actorName} changed their password.";
                break;
            case AuditActions.ContentItemSaved or AuditActions.ContentItemPublished:
                type = "ContentItem";
                id = Guid.NewGuid().ToString();
                summary = japanese ? $"{actorName} がコンテンツ「{title}」を保存しました。" : $"{actorName} saved content item \"{title}\".";
                changes = $$"""[{"Field":"Title","Before":"{{title}}（下書き）","After":"{{title}}"},{"Field":"Body","Before":"{{person}}さんの原稿","After":"{{person}}さんの原稿（改訂）"}]""";
                break;
            case AuditActions.MediaUploaded:
                type = "MediaItem";
                id = Guid.NewGuid().ToString();
                summary = $"Media uploaded: photo-{random.Next(100000)}.jpg ({random.Next(20, 4000)} KB).";
                break;
            case AuditActions.MemberProfileUpdated:
                type = "Member";
                id = Guid.NewGuid().ToString();
                summary = $"Member {id} profile updated.";
                changes = $$"""[{"Field":"DisplayName","Before":"{{person}} 太郎","After":"{{person}} 花子"}]""";
                break;
            case AuditActions.WebhookDeliveryFailed:
                type = "WebhookSubscription";
                outcome = AuditOutcome.Failure;
                id = Guid.NewGuid().ToString();
                summary = "Webhook delivery failed: HTTP 503 from https://hooks.example.com/kuroco.";
                break;
            default:
                summary = japanese ? $"{actorName} が操作しました（{action}）。" : $"{actorName}: {action}.";
                break;
        }
        var entry = new AuditEntry
        {
            Sequence = sequence,
            OccurredAtUtc = at,
            ActorId = actorId,
            ActorName = actorName,
            ActorRoles = roles,
            Action = action,
            EntityType = type,
            EntityId = id,
            Summary = summary,
            Changes = changes,
            Outcome = outcome,
            IpAddress = ip,
            UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
            CorrelationId = null,
            PreviousHash = previous,
        };
        entry.Hash = AuditHasher.Compute(entry);
        return entry;
    }

    private sealed class BenchAuditContext : IAuditContext
    {
        private static readonly AuditActor Actor = new(null, "bench", []);

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Actor);

        public AuditOrigin GetOrigin() => new("10.9.9.9", null, "bench");
    }
}
