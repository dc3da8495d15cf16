using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Members;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Backups;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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

        if (args.Length > 1 && args[1] == "floor")
        {
            await FloorAsync(folder, sources, plainBytes);
            return 0;
        }
        var scopedOnly = args.Length > 1 && args[1] == "scoped";
        // The disk's speed and the plain backup alternate twice (best of each): on a shared machine one run alone says little.
        var copySeconds = double.MaxValue;
        var plainSeconds = double.MaxValue;
        string? last = null;
        for (var round = 1; round <= (scopedOnly ? 0 : 2); round++)
        {
            var copy = await CopyWithFsyncAsync(sources, Path.Combine(folder, "cp-scratch"));
            Console.WriteLine($"cp + fsync (round {round}):           {plainBytes / 1e6 / copy:N1} MB/s ({copy:N1} s)");
            copySeconds = Math.Min(copySeconds, copy);
            var (plain, manifest) = await BackUpAsync(folder, "None", encrypt: false, stall: false, $"backup, plain (round {round})     ");
            plainSeconds = Math.Min(plainSeconds, plain);
            last = Replace(folder, last, manifest.Id);
        }
        if (!scopedOnly)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best of 2: cp + fsync {plainBytes / 1e6 / copySeconds:N1} MB/s, backup plain {plainBytes / 1e6 / plainSeconds:N1} MB/s = {100 * copySeconds / plainSeconds:N0} % of cp + fsync"));
        }
        if (args.Length > 1 && args[1] == "plain")
        {
            // `backup SIZE plain`: only the disk and the plain backup (while tuning), then once more with a writer committing
            // all along (the plain parts run side by side on both cores: what a writer of the app waits meanwhile).
            var (_, withWriter) = await BackUpAsync(folder, "None", encrypt: false, stall: true, "backup, plain, with a writer   ");
            last = Replace(folder, last, withWriter.Id);
            Directory.Delete(Path.Combine(folder, "backups", last!), recursive: true);
            return 0;
        }

        foreach (var (compression, encrypt, label) in new[]
        {
            ("GZip", false, "backup, gzip                 "),
            ("Brotli", false, "backup, brotli-1             "),
            ("GZip", true, "backup, gzip + AES-GCM       "),
        }.Where(_ => !scopedOnly))
        {
            var (_, manifest) = await BackUpAsync(folder, compression, encrypt, stall: false, label);
            last = Replace(folder, last, manifest.Id);
        }

        // The default (brotli-1 + AES-GCM), with a writer committing all along, and a member (with a group) that the scoped
        // restore below brings back after it is deleted.
        var memberId = await AddMemberAsync(folder);
        // `backup SIZE scoped rawdb`: the database part kept uncompressed (Backups:DatabaseCompression=None), still encrypted.
        var rawDatabase = args.Length > 2 && args[2] == "rawdb";
        var (_, encrypted) = await BackUpAsync(folder, "Brotli", encrypt: true, stall: true,
            rawDatabase ? "backup, brotli-1 + AES-GCM, db uncompressed" : "backup, brotli-1 + AES-GCM   ", rawDatabase);
        last = Replace(folder, last, encrypted.Id);

        await using (var provider = await BuildAsync(folder, "Brotli", encrypt: true))
        {
            await using (var scope = provider.CreateAsyncScope())
            {
                var watch = Stopwatch.StartNew();
                var cpu = Cpu.Start();
                var opened = await scope.ServiceProvider.GetRequiredService<IBackupSnapshotOpener>().OpenAsync(last!, CancellationToken.None);
                await using var snapshot = opened.Value ?? throw new InvalidOperationException(opened.Message);
                var database = watch.Elapsed.TotalSeconds;
                var databaseCpu = cpu.Seconds;
                // The media archive is decrypted on first use: list it so the whole generation is restored.
                var media = await ((IBackupMediaListing)snapshot).ListMediaFilesAsync(CancellationToken.None);
                var seconds = watch.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"restore (open + media, brotli-1 + AES-GCM) {snapshot.Manifest.Parts.Sum(p => p.Length) / 1e6 / seconds:N1} MB/s ({seconds:N1} s, CPU {cpu.Seconds:N1} s; database, job store and anchor {database:N1} s / CPU {databaseCpu:N1} s, {media.Count:N0} media files; load {Load()})"));
            }
            await DecodeStepsAsync(provider, folder, last!);
            await ScopedRestoreAsync(provider, last!, memberId);
        }
        Directory.Delete(Path.Combine(folder, "backups", last!), recursive: true);
        return 0;
    }

    /// <summary>One backup with a fresh provider; prints MB/s of plain data and the stored share.</summary>
    private static async Task<(double Seconds, BackupManifest Manifest)> BackUpAsync(
        string folder, string compression, bool encrypt, bool stall, string label, bool rawDatabase = false)
    {
        await using var provider = await BuildAsync(folder, compression, encrypt, rawDatabase);
        var writer = stall ? new WriterStall(Path.Combine(folder, "kuroco.db")) : null;
        var watch = Stopwatch.StartNew();
        var cpu = Cpu.Start();
        var steps = new StepTimes(watch);
        writer?.Follow(steps);
        BackupManifest manifest;
        await using (var scope = provider.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, steps, CancellationToken.None);
            manifest = result.Value ?? throw new InvalidOperationException(result.Message);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = cpu.Seconds;
        var stallMs = writer is null ? (double?)null : await writer.StopAsync();
        var plain = manifest.Parts.Sum(p => p.Length);
        var stalled = stallMs is { } ms
            ? string.Create(CultureInfo.InvariantCulture, $"; longest writer stall {ms:N0} ms over {writer!.Commits:N0} commits ({writer.Where}); gaps over 100 ms: {writer.Over100}")
            : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label} {plain / 1e6 / seconds:N1} MB/s ({seconds:N1} s, CPU {cpuSeconds:N1} s, stored {manifest.StoredBytes / 1e6:N0} MB = {100.0 * manifest.StoredBytes / plain:N0} %){stalled}; load {Load()}"));
        Console.WriteLine("    steps: " + steps);
        return (seconds, manifest);
    }

    /// <summary>
    /// `backup SIZE floor`: each piece of work of the plain backup alone on one thread, wall and CPU seconds, beside one
    /// cp + fsync; the sum of the CPU over two cores is the least wall time the backup can take on this machine.
    /// </summary>
    private static async Task FloorAsync(string folder, List<string> files, long plainBytes)
    {
        var copy = await CopyWithFsyncAsync(files, Path.Combine(folder, "cp-scratch"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cp + fsync: {copy:N2} s ({plainBytes / 1e6 / copy:N0} MB/s; load {Load()})"));
        var scratch = Path.Combine(folder, "tmp", "floor");
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
        Directory.CreateDirectory(scratch);
        var database = Path.Combine(scratch, "database.db");
        var tar = Path.Combine(scratch, "media.tar");
        var cpuTotal = 0.0;
        async Task TimeAsync(string label, Func<Task> work, bool counts = true)
        {
            var watch = Stopwatch.StartNew();
            var cpu = Cpu.Start();
            await work();
            var seconds = cpu.Seconds;
            cpuTotal += counts ? seconds : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {label,-44} {watch.Elapsed.TotalSeconds,5:N2} s, CPU {seconds,5:N2} s{(counts ? "" : " (not counted)")} (load {Load()})"));
        }
        var live = SqliteSnapshots.ForFile(Path.Combine(folder, "kuroco.db"), readOnly: false);
        await TimeAsync("online backup, one pread per page", () => OnlineBackupAsync(live, database, mmap: false), counts: false);
        File.Delete(database);
        await TimeAsync("online backup, source read through mmap", () => OnlineBackupAsync(live, database, mmap: true));
        await TimeAsync("row counts + last migration", async () =>
        {
            await SqliteSnapshots.CountRowsAsync(database, CancellationToken.None);
            await SqliteSnapshots.LastMigrationAsync(database, CancellationToken.None);
        });
        await TimeAsync("integrity_check (mmap)", () => SqliteSnapshots.IntegrityCheckAsync(database, CancellationToken.None));
        await TimeAsync("database: re-read + SHA-256", () => Task.FromResult(BackupCodec.HashFile(database, CancellationToken.None)));
        await TimeAsync("database: fsync", () => Task.Run(() => ConcurrentParts.FlushFile(database)));
        var mediaRoot = Path.Combine(folder, "media");
        if (Environment.GetEnvironmentVariable("FLOOR_DETAIL") == "1")
        {
            await TimeAsync("media: read only", () =>
            {
                foreach (var f in Directory.EnumerateFiles(mediaRoot, "*", SearchOption.AllDirectories))
                {
                    using var r = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                    r.CopyTo(Stream.Null, BackupCodec.BufferSize);
                }
                return Task.CompletedTask;
            }, counts: false);
            await TimeAsync("media: tar to nowhere", () => Task.FromResult(MediaArchive.Write(mediaRoot, Stream.Null, CancellationToken.None)), counts: false);
            await TimeAsync("media: tar + SHA-256 to nowhere", () =>
            {
                using var hashing = new HashingStream(Stream.Null, writing: true);
                return Task.FromResult(MediaArchive.Write(mediaRoot, hashing, CancellationToken.None));
            }, counts: false);
            await TimeAsync("media: tar + write (FileStream)", () =>
            {
                using (var file = new FileStream(tar, FileMode.CreateNew, FileAccess.Write, FileShare.None, BackupCodec.BufferSize))
                {
                    MediaArchive.Write(mediaRoot, file, CancellationToken.None);
                }
                File.Delete(tar);
                return Task.CompletedTask;
            }, counts: false);
        }
        await TimeAsync("media: tar + SHA-256 + write, flushed behind", () =>
        {
            using var file = new FlushBehindFileStream(tar);
            using var hashing = new HashingStream(file, writing: true);
            MediaArchive.Write(mediaRoot, hashing, CancellationToken.None);
            hashing.Flush();
            file.Complete();
            return Task.CompletedTask;
        });
        await TimeAsync("media: re-read + SHA-256", () => Task.FromResult(BackupCodec.HashFile(tar, CancellationToken.None)));
        Directory.Delete(scratch, recursive: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU of the plain backup's work: {cpuTotal:N2} s; over 2 cores at best {cpuTotal / 2:N2} s = {100 * copy / (cpuTotal / 2):N0} % of cp + fsync"));
    }

    /// <summary>The online backup in one step as <see cref="SqliteSnapshots.BackUpAsync"/> takes it, with or without mmap on the source.</summary>
    private static async Task OnlineBackupAsync(string source, string destination, bool mmap)
    {
        await using var from = new SqliteConnection(source);
        await from.OpenAsync();
        await using (var pragma = from.CreateCommand())
        {
            pragma.CommandText = mmap ? "PRAGMA mmap_size = 2147483648;" : "PRAGMA mmap_size = 0;";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var to = new SqliteConnection(SqliteSnapshots.ForFile(destination, readOnly: false));
        await to.OpenAsync();
        await using (var fast = to.CreateCommand())
        {
            fast.CommandText = "PRAGMA synchronous = OFF;";
            await fast.ExecuteNonQueryAsync();
        }
        from.BackupDatabase(to);
        await using var journal = to.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode = DELETE;";
        await journal.ExecuteNonQueryAsync();
    }

    /// <summary>Seconds spent in each progress step (snapshot = online backup + integrity_check + row counts, database = its part, ...).</summary>
    private sealed class StepTimes(Stopwatch watch) : IProgress<BackupProgress>
    {
        private readonly List<(string Step, TimeSpan At)> marks = [];

        public void Report(BackupProgress value)
        {
            lock (marks)
            {
                marks.Add((value.Step, watch.Elapsed));
            }
        }

        /// <summary>The step under way now, and its seconds so far.</summary>
        public string Current()
        {
            lock (marks)
            {
                return marks.Count == 0 ? "start" : string.Create(CultureInfo.InvariantCulture, $"{marks[^1].Step} +{(watch.Elapsed - marks[^1].At).TotalSeconds:N1} s");
            }
        }

        public override string ToString()
        {
            lock (marks)
            {
                return string.Join(", ", marks.Zip(marks.Skip(1), (a, b) => string.Create(CultureInfo.InvariantCulture, $"{a.Step} {(b.At - a.At).TotalSeconds:N1}")));
            }
        }
    }

    /// <summary>Deletes the previous generation (disk space) and returns the new one's id.</summary>
    private static string Replace(string folder, string? previous, string current)
    {
        if (previous is not null)
        {
            Directory.Delete(Path.Combine(folder, "backups", previous), recursive: true);
        }
        return current;
    }

    /// <summary>A member in a group, as a customer's lost record (written straight to the database like the fill).</summary>
    private static async Task<Guid> AddMemberAsync(string folder)
    {
        await using var provider = await BuildAsync(folder, "None", encrypt: false);
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KurocoDbContext>();
        var now = DateTime.UtcNow;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var group = new MemberGroup { Id = Guid.NewGuid(), NameJa = "ベンチ" + suffix, NameEn = "Bench " + suffix, CreatedAtUtc = now, UpdatedAtUtc = now };
        var member = new Member
        {
            Id = Guid.NewGuid(), Email = $"bench-{suffix}@example.jp", DisplayName = "Bench " + suffix, Status = MemberStatus.Active,
            CreatedAtUtc = now, UpdatedAtUtc = now, EmailVerifiedAtUtc = now,
        };
        member.RefreshDerivedFields();
        db.MemberGroups.Add(group);
        db.Members.Add(member);
        db.MemberGroupMemberships.Add(new MemberGroupMembership { MemberId = member.Id, GroupId = group.Id, AddedAtUtc = now });
        await db.SaveChangesAsync();
        return member.Id;
    }

    /// <summary>
    /// What opening the database part costs, step by step (wall and CPU seconds of each pass over the stored object): read
    /// only, SHA-256 of the stored bytes, decrypt, decrypt + decompress, the whole check (<see cref="BackupCodec.DecodeAsync"/>
    /// to nowhere) and the whole decode into a file, as the opener does it.
    /// </summary>
    private static async Task DecodeStepsAsync(ServiceProvider provider, string folder, string generationId)
    {
        var generation = Path.Combine(folder, "backups", generationId);
        BackupManifest manifest;
        await using (var manifestFile = File.OpenRead(Path.Combine(generation, BackupObjects.Manifest)))
        {
            manifest = await BackupPartReader.ReadManifestAsync(manifestFile, CancellationToken.None);
        }
        var part = manifest.Parts.Single(p => p.Kind == BackupPartKinds.Database);
        var settings = provider.GetRequiredService<BackupPartReader>().SettingsFor(manifest);
        var path = Path.Combine(generation, part.Name);
        FileStream Open() => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, BackupCodec.BufferSize, FileOptions.SequentialScan);
        async Task TimeAsync(string label, Func<Task> pass)
        {
            var watch = Stopwatch.StartNew();
            var cpu = Cpu.Start();
            await pass();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    open step {label,-28} {watch.Elapsed.TotalSeconds,5:N2} s, CPU {cpu.Seconds,5:N2} s (load {Load()})"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"database part: {part.Length / 1e6:N0} MB plain, {part.StoredLength / 1e6:N0} MB stored ({manifest.Compression}{(manifest.Encrypted ? " + AES-GCM" : "")})"));
        await TimeAsync("read", async () =>
        {
            await using var file = Open();
            await BackupCodec.DrainAsync(file, CancellationToken.None);
        });
        await TimeAsync("read + SHA-256", async () =>
        {
            await using var file = Open();
            using var hashing = new HashingStream(file, writing: false);
            await BackupCodec.DrainAsync(hashing, CancellationToken.None);
        });
        settings = settings.ForPart(part);
        if (settings.Key is { } key)
        {
            await TimeAsync("read + decrypt", async () =>
            {
                await using var file = Open();
                using var decrypt = new AesGcmChunkReader(file, key.Bytes);
                await BackupCodec.DrainAsync(decrypt, CancellationToken.None);
            });
            await TimeAsync("read + decrypt + decompress", settings.Compression == BackupCompression.None ? () => Task.CompletedTask : async () =>
            {
                await using var file = Open();
                using var decrypt = new AesGcmChunkReader(file, key.Bytes);
                await using Stream inflate = settings.Compression == BackupCompression.GZip
                    ? new System.IO.Compression.GZipStream(decrypt, System.IO.Compression.CompressionMode.Decompress)
                    : new System.IO.Compression.BrotliStream(decrypt, System.IO.Compression.CompressionMode.Decompress);
                await BackupCodec.DrainAsync(inflate, CancellationToken.None);
            });
        }
        await TimeAsync("check (one thread, no file)", async () =>
        {
            await using var file = Open();
            await BackupPartReader.ReadAsync(file, part, settings, Stream.Null, CancellationToken.None);
        });
        var target = Path.Combine(folder, "tmp", "decode-steps.db");
        await TimeAsync("decode into a file (pipeline)", async () =>
        {
            await using var file = Open();
            await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, BackupCodec.BufferSize);
            await BackupPartReader.ReadAsync(file, part, settings, output, CancellationToken.None, pipelined: true);
        });
        File.Delete(target);
    }

    /// <summary>
    /// Scoped restore of one member from the generation, timed by phase, as the restore-request jobs do it: the member is
    /// deleted after the backup, then the generation opened (decrypted into a temporary folder), previewed and applied.
    /// </summary>
    private static async Task ScopedRestoreAsync(ServiceProvider provider, string generationId, Guid memberId)
    {
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KurocoDbContext>();
            db.Members.Remove(await db.Members.SingleAsync(m => m.Id == memberId));
            await db.SaveChangesAsync();
        }
        await using (var scope = provider.CreateAsyncScope())
        {
            var total = Stopwatch.StartNew();
            var watch = Stopwatch.StartNew();
            var cpu = Cpu.Start();
            var opened = await scope.ServiceProvider.GetRequiredService<IBackupSnapshotOpener>().OpenAsync(generationId, CancellationToken.None);
            await using var snapshot = opened.Value ?? throw new InvalidOperationException(opened.Message);
            var open = watch.Elapsed.TotalSeconds;
            var openCpu = cpu.Seconds;
            watch.Restart();
            var restore = scope.ServiceProvider.GetRequiredService<IScopedRestoreService>();
            var previewed = await restore.PreviewAsync(snapshot, new RestoreScope([new RestoreTarget(RestoreTargetKind.Member, memberId.ToString())]), CancellationToken.None);
            var preview = previewed.Value ?? throw new InvalidOperationException(previewed.Message);
            var previewSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var applied = await restore.ApplyAsync(snapshot, preview, new Dictionary<string, ConflictResolution>(), "RR-2026-0001", CancellationToken.None);
            var summary = applied.Value ?? throw new InvalidOperationException(applied.Message);
            var apply = watch.Elapsed.TotalSeconds;
            await snapshot.DisposeAsync();
            var seconds = total.Elapsed.TotalSeconds;
            var totalCpu = cpu.Seconds;
            var db = scope.ServiceProvider.GetRequiredService<KurocoDbContext>();
            var back = await db.Members.AsNoTracking().AnyAsync(m => m.Id == memberId);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scoped restore of one member: {seconds:N2} s, CPU {totalCpu:N2} s (open {open:N2} s / CPU {openCpu:N2} s, preview {previewSeconds:N2} s, apply {apply:N2} s; {summary.Added} records added, member back: {back}; target < 5 s; load {Load()})"));
        }
    }

    private static async Task<ServiceProvider> BuildAsync(string folder, string compression, bool encrypt, bool rawDatabase = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = folder,
            ["Database:Provider"] = "Sqlite",
            ["Kuroco:Jobs:RunServer"] = "false",
            ["Backups:Compression"] = compression,
            ["Backups:Encrypt"] = encrypt ? "true" : "false",
            ["Backups:Retention"] = "365",
            ["Backups:DatabaseCompression"] = rawDatabase ? "None" : null,
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

    /// <summary>
    /// The disk's speed: <c>cp</c> of every file into one folder (one process per 256 files, so process starts do not
    /// count), then an fsync of each copy (what the backup's commit does).
    /// </summary>
    private static async Task<double> CopyWithFsyncAsync(List<string> files, string target)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        Directory.CreateDirectory(target);
        var watch = Stopwatch.StartNew();
        foreach (var batch in files.Chunk(256))
        {
            // Media names are unique random hex; the database and the job store have their own names.
            var start = new ProcessStartInfo("cp") { UseShellExecute = false };
            foreach (var file in batch)
            {
                start.ArgumentList.Add(file);
            }
            start.ArgumentList.Add(target + Path.DirectorySeparatorChar);
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync();
        }
        foreach (var copy in Directory.EnumerateFiles(target))
        {
            await using var handle = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite);
            handle.Flush(flushToDisk: true);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        Directory.Delete(target, recursive: true);
        return seconds;
    }

    /// <summary>The 1-, 5- and 15-minute load averages (the machine is shared: CPU seconds say more than wall time).</summary>
    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>This process's CPU time (user + system, all threads) since <see cref="Start"/>.</summary>
    private sealed class Cpu
    {
        private readonly TimeSpan start = Process.GetCurrentProcess().TotalProcessorTime;

        public static Cpu Start() => new();

        public double Seconds => (Process.GetCurrentProcess().TotalProcessorTime - start).TotalSeconds;
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

        private StepTimes? steps;

        public int Commits { get; private set; }

        /// <summary>The backup step the longest gap ended in.</summary>
        public string Where { get; private set; } = "-";

        /// <summary>How many gaps between two commits were over 100 ms.</summary>
        public int Over100 { get; private set; }

        public void Follow(StepTimes backupSteps) => steps = backupSteps;

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
                var gap = (now - previous).TotalMilliseconds;
                if (gap > 100)
                {
                    Over100++;
                }
                if (gap > longest)
                {
                    longest = gap;
                    Where = steps?.Current() ?? "-";
                }
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
