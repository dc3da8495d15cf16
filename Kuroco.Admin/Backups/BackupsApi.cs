using System.Formats.Tar;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Kuroco.Admin.Api;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Backups;

/// <summary>
/// <c>GET /backups/download?token=…</c>: a generation, decrypted, as a .tar (manifest.json, the database copy, the job
/// store copy, the audit anchor, and every media file under <c>media/</c>) for the Administrator the link was issued to (a console endpoint: the staff cookie,
/// the backups area, not in the OpenAPI document). The decrypted copies are deleted after the response. Audited.
/// </summary>
public static class BackupsApi
{
    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapBackupsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(BackupDownloadLinks.Path, DownloadAsync)
            .RequireAuthorization(AreaPolicies.Backups)
            .WithName("DownloadBackup")
            .ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<IResult> DownloadAsync(HttpContext context, string? token, [AsParameters] BackupDownloadServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        if (!context.User.IsInRole(StaffRoles.Administrator))
        {
            return ApiProblems.Forbidden(services.L["Only Administrators can download backups."]);
        }
        var redeemed = services.Links.Redeem(token, context.User.FindFirstValue(ClaimTypes.NameIdentifier));
        if (!redeemed.TryGetValue(out var ticket))
        {
            return redeemed.ToProblem();
        }
        var opened = await services.Opener.OpenAsync(ticket.GenerationId, context.RequestAborted);
        if (!opened.TryGetValue(out var snapshot))
        {
            return opened.ToProblem();
        }
        var manifest = snapshot.Manifest;
        IReadOnlyList<string> media = [];
        if (snapshot is IBackupMediaListing listing)
        {
            try
            {
                media = await listing.ListMediaFilesAsync(context.RequestAborted);
            }
            catch (InvalidDataException ex)
            {
                await snapshot.DisposeAsync();
                return ApiProblems.Conflict(ex.Message);
            }
        }
        await services.Audit.WriteAsync(new AuditRecord(AuditActions.BackupDownloaded, AuditEntityTypes.Backup, manifest.Id,
            AuditParameters.Of(
                ("generation", manifest.Id),
                ("bytes", manifest.Parts.Sum(p => p.Length).ToString(CultureInfo.InvariantCulture)))), context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(
            async body =>
            {
                await using (snapshot)
                {
                    await WriteTarAsync(snapshot, media, body, context.RequestAborted);
                }
            },
            "application/x-tar",
            FileName(manifest.Id));
    }

    /// <summary>"kuroco-backup-{id}.tar" with only letters, digits, '-' and '_' from the id.</summary>
    internal static string FileName(string generationId) =>
        "kuroco-backup-" + new string(generationId.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray()) + ".tar";

    private static async Task WriteTarAsync(IBackupSnapshot snapshot, IReadOnlyList<string> media, Stream body, CancellationToken cancellationToken)
    {
        var manifest = snapshot.Manifest;
        await using var tar = new TarWriter(body, TarEntryFormat.Pax, leaveOpen: true);
        await WriteTextAsync(tar, "manifest.json", JsonSerializer.Serialize(manifest, ManifestJson), cancellationToken);
        var names = manifest.Parts.ToDictionary(p => p.Kind, p => p.Name, StringComparer.Ordinal);
        if (snapshot.DatabasePath is { } database)
        {
            await tar.WriteEntryAsync(database, names.GetValueOrDefault(BackupPartKinds.Database, "database.db"), cancellationToken);
        }
        if (snapshot.JobStorePath is { } jobs)
        {
            await tar.WriteEntryAsync(jobs, names.GetValueOrDefault(BackupPartKinds.JobStore, "jobs.db"), cancellationToken);
        }
        if (snapshot.AuditAnchorJson is { } anchor)
        {
            await WriteTextAsync(tar, names.GetValueOrDefault(BackupPartKinds.AuditAnchor, "audit-anchor.json"), anchor, cancellationToken);
        }
        foreach (var name in media)
        {
            await using var file = await snapshot.OpenMediaFileAsync(name, cancellationToken);
            if (file is not null)
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "media/" + name) { DataStream = file }, cancellationToken);
            }
        }
    }

    private static async Task WriteTextAsync(TarWriter tar, string name, string text, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data }, cancellationToken);
    }
}

/// <summary>The services the download uses (bound with [AsParameters]).</summary>
internal sealed record BackupDownloadServices(
    [FromServices] BackupDownloadLinks Links,
    [FromServices] IBackupSnapshotOpener Opener,
    [FromServices] IAuditLog Audit,
    [FromServices] IStringLocalizer<BackupsResource> L);
