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
        // A media file, so the run has a media part to be in the middle of.
        var media = Path.Combine(factory.DataPath, "media", "ff", "ff", "ffff0000000000000000000000000000");
        Directory.CreateDirectory(Path.GetDirectoryName(media)!);
        await File.WriteAllBytesAsync(media, new byte[64 * 1024]);

        var admin = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(admin)!,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { admin, "backup-now", "--Storage:DataPath=" + factory.DataPath, "--environment=Development",
            "--Kuroco:Bootstrap:AdminEmail=" + KurocoAppFactory.AdminEmail, "--Kuroco:Bootstrap:AdminPassword=" + KurocoAppFactory.AdminPassword,
            // The child stops after reporting "media" (its .tmp- folder holds the database and job store parts) and waits.
            "--BackupNow:HoldAfter=media" })
        {
            start.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (e.Data == "holding")
            {
                holding.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        TimeSpan seenAt = default, killedAt = default;
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(holding.Task, exited, Task.Delay(TimeSpan.FromSeconds(120)));
            // (Standard error is read only after the kill: awaiting it here would wait for the child to finish.)
            Assert.True(first == holding.Task, "the child did not reach the media part: " + output);
            Assert.NotEmpty(Directory.EnumerateDirectories(backups, ".tmp-*").SelectMany(Directory.EnumerateFiles));
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

        // The dead process's file lock went with it: the next run is not refused, removes the leftover and commits.
        var next = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
        Assert.True(next.Succeeded, next.Message);
        Assert.False(Directory.Exists(leftover));
        Assert.Empty(Directory.EnumerateDirectories(backups, ".tmp-*"));
        var generation = Assert.Single(await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None)));
        Assert.Equal(next.Value!.Id, generation.Manifest.Id);
    }
}
