using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// The member CSV import at scale (target: 100,000 rows applied in under 60 s), then the streamed export of the same
/// members. A fresh, migrated SQLite file in a temp folder (the app's own start-up code, so the search index and its
/// triggers are the production ones) with two groups; a generated CSV of Japanese and English members (email, name,
/// reading, language, group) in Shift_JIS (what Excel in Japan writes) or UTF-8 with a BOM. The steps run through the
/// real service and the real job code (<see cref="IMemberImportService"/> for upload and queueing, the
/// <c>MemberImportJob</c> the Hangfire server would run, called here directly so no queue polling is timed):
/// upload, dry run, apply in batches of 1,000; then the CSV export of all members into a null stream while the managed
/// heap is sampled (memory flat: the peak stays near the start, whatever the count).
/// </summary>
public static class MemberImportLoad
{
    private static readonly Guid RegularGroupId = new("b7e3c1d0-0000-4000-8000-000000000001");
    private static readonly Guid PremiumGroupId = new("b7e3c1d0-0000-4000-8000-000000000002");

    /// <summary>dotnet run -c Release --project bench/Kuroco.Bench -- memberimport [ROWS] [shift_jis|utf-8]</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var encoding = args.Length > 1 ? CsvEncodings.Parse(args[1]) ?? CsvEncoding.ShiftJis : CsvEncoding.ShiftJis;
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-bench-import-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            await using var provider = await OpenAsync(folder);
            var csvPath = Path.Combine(folder, "members.csv");
            var started = Stopwatch.StartNew();
            var bytes = WriteCsv(csvPath, rows, encoding);
            Console.WriteLine($"CSV: {rows:N0} rows, {bytes / 1024.0 / 1024.0:N1} MiB, {CsvEncodings.WebName(encoding)} (written in {started.Elapsed.TotalSeconds:N1} s)");

            Guid id;
            started.Restart();
            using (var scope = provider.CreateScope())
            {
                var imports = scope.ServiceProvider.GetRequiredService<IMemberImportService>();
                await using var file = File.OpenRead(csvPath);
                var uploaded = await imports.UploadAsync(file, "members.csv");
                if (!uploaded.TryGetValue(out var import))
                {
                    Console.Error.WriteLine("Upload refused: " + uploaded.Message);
                    return 1;
                }
                id = import.Id;
                Console.WriteLine($"Upload:  {started.Elapsed.TotalSeconds,6:N2} s (detected {CsvEncodings.WebName(import.DetectedEncoding)}, columns: {string.Join(", ", import.Columns.Select(c => c.Target))})");
                var queued = await imports.StartDryRunAsync(id, import.Settings with { Existing = MemberImportExisting.Update });
                if (!queued.Succeeded)
                {
                    Console.Error.WriteLine("Dry run refused: " + queued.Message);
                    return 1;
                }
            }

            started.Restart();
            await RunJobAsync(provider, job => job.DryRunAsync(id, CancellationToken.None));
            var checkedImport = await FindAsync(provider, id);
            var dryRun = started.Elapsed;
            Console.WriteLine($"Dry run: {dryRun.TotalSeconds,6:N2} s ({checkedImport.DryRunCreate:N0} to create, {checkedImport.DryRunUpdate:N0} to update, {checkedImport.DryRunRefused:N0} refused; {rows / dryRun.TotalSeconds:N0} rows/s)");

            using (var scope = provider.CreateScope())
            {
                var queued = await scope.ServiceProvider.GetRequiredService<IMemberImportService>().StartApplyAsync(id);
                if (!queued.Succeeded)
                {
                    Console.Error.WriteLine("Apply refused: " + queued.Message);
                    return 1;
                }
            }
            started.Restart();
            await RunJobAsync(provider, job => job.ApplyAsync(id, CancellationToken.None));
            var applied = await FindAsync(provider, id);
            var apply = started.Elapsed;
            Console.WriteLine($"Apply:   {apply.TotalSeconds,6:N2} s ({applied.Status}: {applied.Created:N0} created, {applied.Updated:N0} updated, {applied.Refused:N0} refused in {applied.LastCommittedBatch + 1} batches; {rows / apply.TotalSeconds:N0} rows/s)");
            Console.WriteLine($"Import total (dry run + apply): {(dryRun + apply).TotalSeconds:N2} s — target: apply of 100,000 rows < 60 s");

            await ExportAsync(provider);
            return applied.Status == MemberImportStatus.Completed ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
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
        var contexts = provider.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var now = DateTime.UtcNow;
        db.MemberGroups.AddRange(
            new MemberGroup { Id = RegularGroupId, NameJa = "一般会員", NameEn = "Regular", CreatedAtUtc = now, UpdatedAtUtc = now },
            new MemberGroup { Id = PremiumGroupId, NameJa = "プレミアム会員", NameEn = "Premium", CreatedAtUtc = now, UpdatedAtUtc = now });
        await db.SaveChangesAsync();
        return provider;
    }

    private static async Task RunJobAsync(IServiceProvider provider, Func<MemberImportJob, Task> run)
    {
        using var scope = provider.CreateScope();
        await run(scope.ServiceProvider.GetRequiredService<MemberImportJob>());
    }

    private static async Task<MemberImport> FindAsync(IServiceProvider provider, Guid id)
    {
        using var scope = provider.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMemberImportService>().FindAsync(id)
            ?? throw new InvalidOperationException("The import is gone.");
    }

    private static readonly (string Name, string Kana, string Romaji)[] Surnames =
    [
        ("佐藤", "サトウ", "sato"), ("鈴木", "スズキ", "suzuki"), ("髙橋", "タカハシ", "takahashi"), ("田中", "タナカ", "tanaka"),
        ("渡邊", "ワタナベ", "watanabe"), ("山本", "ヤマモト", "yamamoto"), ("中村", "ナカムラ", "nakamura"), ("小林", "コバヤシ", "kobayashi"),
        ("加藤", "カトウ", "kato"), ("吉田", "ヨシダ", "yoshida"), ("山田", "ヤマダ", "yamada"), ("佐々木", "ササキ", "sasaki"),
    ];

    private static readonly (string Name, string Kana)[] GivenNames =
    [
        ("花子", "ハナコ"), ("太郎", "タロウ"), ("陽菜", "ヒナ"), ("蓮", "レン"), ("結衣", "ユイ"), ("大翔", "ヒロト"), ("美咲", "ミサキ"), ("健", "ケン"),
    ];

    private static readonly string[] EnglishFirst = ["Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Sophia", "Lucas"];
    private static readonly string[] EnglishLast = ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clark", "Walker", "Hughes"];

    /// <summary>Writes the file and returns its size. Header in Japanese, as a Japanese spreadsheet would have it.</summary>
    private static long WriteCsv(string path, int rows, CsvEncoding encoding)
    {
        var random = new Random(7);
        using (var writer = new StreamWriter(path, false, CsvEncodings.ForWriting(encoding), 1 << 16))
        {
            writer.Write("メールアドレス,氏名,フリガナ,言語,グループ\r\n");
            var line = new StringBuilder(128);
            for (var n = 0; n < rows; n++)
            {
                line.Clear();
                if (random.Next(100) < 80)
                {
                    var (surname, kana, romaji) = Surnames[random.Next(Surnames.Length)];
                    var (given, givenKana) = GivenNames[random.Next(GivenNames.Length)];
                    line.Append(CultureInfo.InvariantCulture, $"{romaji}{n:D6}@example{n % 40}.jp,{surname} {given},{kana} {givenKana},ja,");
                }
                else
                {
                    var first = EnglishFirst[random.Next(EnglishFirst.Length)];
                    var last = EnglishLast[random.Next(EnglishLast.Length)];
                    line.Append(CultureInfo.InvariantCulture, $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{n:D6}@example{n % 40}.com,\"{last}, {first}\",,en,");
                }
                var group = random.Next(100);
                line.Append(group < 10 ? "プレミアム会員;一般会員" : group < 90 ? "一般会員" : "");
                line.Append("\r\n");
                writer.Write(line);
            }
        }
        return new FileInfo(path).Length;
    }

    /// <summary>Exports every member as CSV into a null stream and reports the time and the managed heap's peak above its start.</summary>
    private static async Task ExportAsync(IServiceProvider provider)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(5, CancellationToken.None);
            }
        });
        var started = Stopwatch.StartNew();
        using var scope = provider.CreateScope();
        var counted = new CountingStream();
        var result = await scope.ServiceProvider.GetRequiredService<IMemberExportService>()
            .ExportAsync(MemberListFilter.None, MemberExportFormat.Csv, CsvEncoding.ShiftJis, counted);
        var elapsed = started.Elapsed;
        await stop.CancelAsync();
        await sampler;
        Console.WriteLine($"Export:  {elapsed.TotalSeconds,6:N2} s ({result.Value:N0} members, {counted.Length / 1024.0 / 1024.0:N1} MiB Shift_JIS CSV); managed heap peak {(peak - baseline) / 1024.0 / 1024.0:N1} MiB above the start ({baseline / 1024.0 / 1024.0:N1} MiB)");
    }

    private sealed class CountingStream : Stream
    {
        private long length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class BenchAuditContext : IAuditContext
    {
        private static readonly AuditActor Actor = new(null, "bench", []);

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Actor);

        public AuditOrigin GetOrigin() => new(null, null, "bench");
    }
}
