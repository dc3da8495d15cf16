using System.Diagnostics;
using Kuroco.Core.Backups;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups;

/// <summary>A backup process killed with SIGKILL mid-way leaves nothing that looks like a generation, and the next run cleans up.</summary>
public sealed class BackupKillTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task A_backup_killed_mid_way_leaves_no_visible_generation_and_the_next_run_cleans_up_and_succeeds()
    {
        _ = factory.Services;
        var backups = Path.Combine(factory.DataPath, "backups");
        // An 8 GiB sparse media file: no disk space, but seconds of reading, compressing and encrypting, so the run is
        // still writing its .tmp- folder when it is killed.
        var big = Path.Combine(factory.DataPath, "media", "ff", "ff", "ffff0000000000000000000000000000");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        await using (var file = File.Create(big))
        {
            file.SetLength(8L << 30);
        }

        var admin = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(admin)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { admin, "backup-now", "--Storage:DataPath=" + factory.DataPath, "--environment=Development",
            "--Kuroco:Bootstrap:AdminEmail=" + KurocoAppFactory.AdminEmail, "--Kuroco:Bootstrap:AdminPassword=" + KurocoAppFactory.AdminPassword })
        {
            start.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        TimeSpan seenAt = default, killedAt = default;
        try
        {
            // The child reports each step on standard output; "media" means the .tmp- folder holds the first parts. Read
            // with a blocking call on this thread: the app under test keeps thread-pool threads busy, and an awaited read
            // was seen to lag the child by tens of seconds.
            var reader = new Thread(() =>
            {
                while (process.StandardOutput.ReadLine() is { } line)
                {
                    lock (output)
                    {
                        output.AppendLine(line);
                    }
                    if (line.StartsWith("media", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
            });
            reader.Start();
            Assert.True(reader.Join(TimeSpan.FromSeconds(120)), "the child did not reach the media part: " + output);
            Assert.False(process.HasExited, "the backup ended before it could be killed: " + output + await errors);
        }
        finally
        {
            // SIGKILL: no finally block, no dispose runs in the child.
            seenAt = clock.Elapsed;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            killedAt = clock.Elapsed;
        }

        var leftovers = Directory.EnumerateDirectories(backups, ".tmp-*").ToList();
        Assert.True(leftovers.Count == 1,
            $"expected the killed run's .tmp- folder (seen at {seenAt}, killed at {killedAt}); the child wrote: " + output + await errors
            + "; data folder: " + string.Join(", ", Directory.EnumerateFileSystemEntries(factory.DataPath, "*", SearchOption.AllDirectories)));
        var leftover = leftovers[0];
        var listed = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None));
        Assert.Empty(listed);

        File.Delete(big);
        // The dead process's file lock went with it: the next run is not refused, removes the leftover and commits.
        var next = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
        Assert.True(next.Succeeded, next.Message);
        Assert.False(Directory.Exists(leftover));
        Assert.Empty(Directory.EnumerateDirectories(backups, ".tmp-*"));
        var generation = Assert.Single(await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None)));
        Assert.Equal(next.Value!.Id, generation.Manifest.Id);
    }
}
