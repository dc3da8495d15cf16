using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// The backup engine on a data folder holding a SIZE MB database (the app's schema plus one table of 4 KiB text-like rows,
/// about half compressible) and SIZE MB of media (1 MiB files of random bytes, like JPEGs): side by side in one run,
/// <c>cp</c> + fsync of the same files (the disk's speed), then the backup unencrypted and uncompressed, compressed,
/// compressed and encrypted, and the restore (the snapshot opener); MB/s of plain data each. During one backup a writer
/// commits small rows continuously (WAL, synchronous=NORMAL, as the app does) and the longest gap between two commits
/// is the writer stall. Default SIZE 1024.
/// </summary>
public static class BackupLoad
{
    private const int MediaFileBytes = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-bench-backup-" + megabytes.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var marker = Path.Combine(folder, "filled");
        if (!File.Exists(marker))
        {
            await using (var provider = await BuildAsync(folder, "None", encrypt: false))
            {
                var fill = Stopwatch.StartNew();
                await FillAsync(folder, megabytes);
                Console.WriteLine($"Filled {megabytes} MB of database and {megabytes} MB of media in {fill.Elapsed.TotalSeconds:N1} s.");
            }
            await File.WriteAllTextAsync(marker, "ok");
        }
        var sources = Directory.EnumerateFiles(Path.Combine(folder, "media"), "*", SearchOption.AllDirectories)
            .Prepend(Path.Combine(folder, "kuroco.db")).Prepend(Path.Combine(folder, "jobs.db")).Where(File.Exists).ToList();
        var plainBytes = sources.Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"Data: {plainBytes / 1e6:N0} MB in {sources.Count:N0} files (database {new FileInfo(Path.Combine(folder, "kuroco.db")).Length / 1e6:N0} MB).");

        var copy = await CopyWithFsyncAsync(sources, Path.Combine(folder, "cp-scratch"));
        Console.WriteLine($"cp + fsync:                    {plainBytes / 1e6 / copy:N1} MB/s ({copy:N1} s)");

        string? last = null;
        foreach (var (compression, encrypt, label) in new[]
        {
            ("None", false, "backup, plain                "),
            ("GZip", false, "backup, gzip                 "),
            ("Brotli", false, "backup, brotli-1             "),
            ("GZip", true, "backup, gzip + AES-GCM       "),
        })
        {
            await using var provider = await BuildAsync(folder, compression, encrypt);
            var stall = compression == "GZip" && encrypt ? new WriterStall(Path.Combine(folder, "kuroco.db")) : null;
            var watch = Stopwatch.StartNew();
            BackupManifest manifest;
            await using (var scope = provider.CreateAsyncScope())
            {
                var result = await scope.ServiceProvider.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None);
                manifest = result.Value ?? throw new InvalidOperationException(result.Message);
            }
            var seconds = watch.Elapsed.TotalSeconds;
            var stallMs = stall is null ? (double?)null : await stall.StopAsync();
            var plain = manifest.Parts.Sum(p => p.Length);
            var stalled = stallMs is { } ms
                ? string.Create(CultureInfo.InvariantCulture, $"; longest writer stall {ms:N0} ms over {stall!.Commits:N0} commits")
                : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label} {plain / 1e6 / seconds:N1} MB/s ({seconds:N1} s, stored {manifest.StoredBytes / 1e6:N0} MB = {100.0 * manifest.StoredBytes / plain:N0} %){stalled}"));
            if (last is not null)
            {
                Directory.Delete(Path.Combine(folder, "backups", last), recursive: true);
            }
            last = manifest.Id;
        }

        await using (var provider = await BuildAsync(folder, "GZip", encrypt: true))
        await using (var scope = provider.CreateAsyncScope())
        {
            var watch = Stopwatch.StartNew();
            var opened = await scope.ServiceProvider.GetRequiredService<IBackupSnapshotOpener>().OpenAsync(last!, CancellationToken.None);
            await using var snapshot = opened.Value ?? throw new InvalidOperationException(opened.Message);
            var seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"restore (open, gzip + AES-GCM) {snapshot.Manifest.Parts.Sum(p => p.Length) / 1e6 / seconds:N1} MB/s ({seconds:N1} s)");
        }
        Directory.Delete(Path.Combine(folder, "backups", last!), recursive: true);
        return 0;
    }

    private static async Task<ServiceProvider> BuildAsync(string folder, string compression, bool encrypt)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = folder,
            ["Database:Provider"] = "Sqlite",
            ["Kuroco:Jobs:RunServer"] = "false",
            ["Backups:Compression"] = compression,
            ["Backups:Encrypt"] = encrypt ? "true" : "false",
            ["Backups:Retention"] = "365",
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

    private static async Task FillAsync(string folder, int megabytes)
    {
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "kuroco.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE IF NOT EXISTS BenchPayloads (Id INTEGER PRIMARY KEY, Body TEXT NOT NULL);" +
                "CREATE TABLE IF NOT EXISTS BenchWrites (Id INTEGER PRIMARY KEY, At TEXT NOT NULL);";
            await create.ExecuteNonQueryAsync();
            var rows = megabytes * 256;
            for (var done = 0; done < rows; done += 10_000)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var insert = connection.CreateCommand();
                // hex(randomblob(2048)): 4 KiB of text over 16 symbols, which compresses to about half, like real rows.
                insert.CommandText = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count) " +
                    "INSERT INTO BenchPayloads (Body) SELECT hex(randomblob(2048)) FROM n";
                insert.Parameters.AddWithValue("$count", Math.Min(10_000, rows - done));
                await insert.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        }
        var buffer = new byte[MediaFileBytes];
        for (var i = 0; i < megabytes; i++)
        {
            var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var path = Path.Combine(folder, "media", name[..2], name[2..4], name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            RandomNumberGenerator.Fill(buffer);
            await File.WriteAllBytesAsync(path, buffer);
        }
    }

    private static async Task<double> CopyWithFsyncAsync(List<string> files, string target)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        Directory.CreateDirectory(target);
        var watch = Stopwatch.StartNew();
        var i = 0;
        foreach (var file in files)
        {
            var destination = Path.Combine(target, (i++).ToString(CultureInfo.InvariantCulture));
            using var process = Process.Start(new ProcessStartInfo("cp", [file, destination]) { UseShellExecute = false })!;
            await process.WaitForExitAsync();
            await using var handle = new FileStream(destination, FileMode.Open, FileAccess.ReadWrite);
            handle.Flush(flushToDisk: true);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        Directory.Delete(target, recursive: true);
        return seconds;
    }

    private sealed class BenchAuditContext : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(AuditActor.System);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }

    /// <summary>Commits one small row after another on its own connection and keeps the longest gap between two commits.</summary>
    private sealed class WriterStall
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task<double> loop;

        public WriterStall(string database) => loop = Task.Run(() => LoopAsync(database));

        public int Commits { get; private set; }

        private async Task<double> LoopAsync(string database)
        {
            await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
            await connection.OpenAsync();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
                await pragma.ExecuteNonQueryAsync();
            }
            var longest = 0.0;
            var watch = Stopwatch.StartNew();
            var previous = watch.Elapsed;
            while (!stop.IsCancellationRequested)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO BenchWrites (At) VALUES (datetime('now'))";
                await insert.ExecuteNonQueryAsync();
                Commits++;
                var now = watch.Elapsed;
                longest = Math.Max(longest, (now - previous).TotalMilliseconds);
                previous = now;
                await Task.Delay(5);
            }
            return longest;
        }

        public async Task<double> StopAsync()
        {
            await stop.CancelAsync();
            return await loop;
        }
    }
}
