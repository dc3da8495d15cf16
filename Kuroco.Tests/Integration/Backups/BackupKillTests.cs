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
        // A 1 GiB sparse media file: no disk space, but seconds of reading, compressing and encrypting, so the run is
        // still writing its .tmp- folder when it is killed.
        var big = Path.Combine(factory.DataPath, "media", "ff", "ff", "ffff0000000000000000000000000000");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        await using (var file = File.Create(big))
        {
            file.SetLength(1L << 30);
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
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await Eventually.GetAsync(
                () => Task.FromResult(Directory.Exists(backups) && Directory.EnumerateFiles(backups, "media.tar", SearchOption.AllDirectories).Any()),
                writing => writing || process.HasExited, "the child process writes the media part", TimeSpan.FromSeconds(90));
            Assert.False(process.HasExited, "the backup finished before it could be killed: " + await errors);
        }
        finally
        {
            // SIGKILL: no finally block, no dispose runs in the child.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var leftover = Assert.Single(Directory.EnumerateDirectories(backups, ".tmp-*"));
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
