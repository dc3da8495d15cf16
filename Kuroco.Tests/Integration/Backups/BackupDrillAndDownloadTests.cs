using System.Formats.Tar;
using System.Net;
using Kuroco.Admin.Backups;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Backups.Drill;
using Kuroco.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups;

/// <summary>
/// The restore drill and the download on a real backup taken by the engine in the app's data folder: the drill passes on
/// a good generation and fails on a damaged one; the download link works once for the Administrator it was issued to.
/// </summary>
public sealed class BackupDrillAndDownloadTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private async Task<BackupManifest> BackUpAsync()
    {
        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    private static IEnumerable<string> DrillScratchFiles() => Directory.EnumerateFiles(Path.GetTempPath(), "kuroco-drill-*");

    [Fact]
    public async Task The_drill_passes_on_a_good_generation_records_it_everywhere_and_fails_on_a_damaged_one()
    {
        var manifest = await BackUpAsync();
        var scratchBefore = DrillScratchFiles().ToHashSet();

        var passed = await factory.WithScopeAsync(sp => sp.GetRequiredService<BackupDrillJob>().DrillAsync(manifest.Id, CancellationToken.None));

        Assert.True(passed.Passed, passed.Problem);
        Assert.Null(passed.Problem);
        // drill.json on the store (the engine lists it as the generation's last drill) and the row the screen reads.
        var listed = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None));
        Assert.True(Assert.Single(listed, g => g.Manifest.Id == manifest.Id).LastDrill?.Passed);
        var stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupDrills>().GetLatestByGenerationAsync(CancellationToken.None));
        Assert.True(stored[manifest.Id].Passed);
        Assert.Empty(DrillScratchFiles().Except(scratchBefore));

        // One flipped byte in the stored database part: the generation no longer opens, and the drill says so.
        var part = Path.Combine(factory.DataPath, "backups", manifest.Id, "database.db");
        var bytes = await File.ReadAllBytesAsync(part);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(part, bytes);

        var failed = await factory.WithScopeAsync(sp => sp.GetRequiredService<BackupDrillJob>().DrillAsync(manifest.Id, CancellationToken.None));

        Assert.False(failed.Passed);
        Assert.StartsWith("open:", failed.Problem, StringComparison.Ordinal);
        stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupDrills>().GetLatestByGenerationAsync(CancellationToken.None));
        Assert.False(stored[manifest.Id].Passed);
        Assert.Empty(DrillScratchFiles().Except(scratchBefore));
        var audit = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == manifest.Id).Select(e => e.Action).ToList();
        Assert.Contains(AuditActions.BackupDrillPassed, audit);
        Assert.Contains(AuditActions.BackupDrillFailed, audit);
        var failedEntry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.BackupDrillFailed);
        Assert.Contains(manifest.Id, AuditText.English(failedEntry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_downloads_a_generation_once_as_a_tar_with_its_media_others_are_refused()
    {
        // A media file as MediaFileStore lays them out (nested folders), and an upload's scratch file, which is not backed up.
        var mediaName = "dl/" + Guid.NewGuid().ToString("N")[..2] + "/" + Guid.NewGuid().ToString("N") + ".bin";
        var mediaBytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(70_000);
        var mediaPath = Path.Combine(factory.DataPath, "media", mediaName.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(mediaPath)!);
        await File.WriteAllBytesAsync(mediaPath, mediaBytes);
        var manifest = await BackUpAsync();
        var adminEmail = $"admin-{Guid.NewGuid():N}@test.local";
        var adminId = await factory.CreateStaffAsync(adminEmail, StaffRoles.Administrator);
        var operatorEmail = $"operator-{Guid.NewGuid():N}@test.local";
        var operatorId = await factory.CreateStaffAsync(operatorEmail, StaffRoles.Operator);
        var admin = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(admin, adminEmail, KurocoAppFactory.StaffPassword);
        var operatorClient = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(operatorClient, operatorEmail, KurocoAppFactory.StaffPassword);

        var (url, expires) = await factory.WithScopeAsync(sp => sp.GetRequiredService<BackupDownloadLinks>().IssueAsync(manifest.Id, adminId, CancellationToken.None));
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        // An Operator may not download, even with a link.
        var refused = await operatorClient.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        var response = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-tar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"kuroco-backup-{manifest.Id}.tar", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-tests", "download-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var entries = new List<string>();
            await using (var tar = await response.Content.ReadAsStreamAsync())
            await using (var reader = new TarReader(tar))
            {
                while (await reader.GetNextEntryAsync() is { } entry)
                {
                    entries.Add(entry.Name);
                    var target = Path.Combine(folder, entry.Name.Replace('/', Path.DirectorySeparatorChar));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await entry.ExtractToFileAsync(target, overwrite: false);
                }
            }
            // The database, the job store, the anchor, the manifest AND the media files (the whole media folder of the backup).
            Assert.Equal(["database.db", "jobs.db", "manifest.json"], entries.Where(e => !e.Contains('/', StringComparison.Ordinal) && e != "audit-anchor.json").Order(StringComparer.Ordinal));
            Assert.Contains("media/" + mediaName, entries);
            Assert.Equal(mediaBytes, await File.ReadAllBytesAsync(Path.Combine(folder, "media", mediaName.Replace('/', Path.DirectorySeparatorChar))));
            var backedUpMedia = Directory.EnumerateFiles(Path.Combine(factory.DataPath, "media"), "*", SearchOption.AllDirectories)
                .Select(p => "media/" + Path.GetRelativePath(Path.Combine(factory.DataPath, "media"), p).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(p => !p.StartsWith("media/tmp/", StringComparison.Ordinal));
            Assert.Subset(entries.ToHashSet(StringComparer.Ordinal), backedUpMedia.ToHashSet(StringComparer.Ordinal));
            Assert.True(File.Exists(Path.Combine(folder, "manifest.json")));
            Assert.True(File.Exists(Path.Combine(folder, "jobs.db")));
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "database.db")};Mode=ReadOnly;Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM AspNetUsers WHERE Email = $email";
                command.Parameters.AddWithValue("$email", KurocoAppFactory.AdminEmail);
                Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // Single use, bound to the user, and expiring.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.GetAsync(url)).StatusCode);
        var operatorsLink = await factory.WithScopeAsync(sp => sp.GetRequiredService<BackupDownloadLinks>().IssueAsync(manifest.Id, operatorId, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(operatorsLink.Url)).StatusCode);
        using var scope = factory.Services.CreateScope();
        var expired = scope.ServiceProvider.GetRequiredService<BackupDownloadLinks>().Protect(new BackupDownloadTicket(manifest.Id, adminId, "expired"), DateTimeOffset.UtcNow.AddSeconds(-1));
        var expiredResponse = await admin.GetAsync(BackupDownloadLinks.Path + "?token=" + Uri.EscapeDataString(expired));
        Assert.Equal(HttpStatusCode.NotFound, expiredResponse.StatusCode);
        Assert.Equal("application/problem+json", expiredResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(BackupDownloadLinks.Path + "?token=garbage")).StatusCode);

        var actions = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == manifest.Id).Select(e => e.Action).ToList();
        Assert.Equal(2, actions.Count(a => a == AuditActions.BackupDownloadLinkIssued));
        Assert.Equal(1, actions.Count(a => a == AuditActions.BackupDownloaded));
    }
}
