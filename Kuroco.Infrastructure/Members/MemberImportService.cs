using System.Globalization;
using System.Runtime.CompilerServices;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Jobs;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// The steps staff take on the import page. The work itself runs in <see cref="MemberImportJob"/> (queued through
/// <see cref="IJobScheduler"/>); this class checks that a step is allowed in the import's state, records it and audits it.
/// </summary>
internal sealed class MemberImportService(
    IDbContextFactory<KurocoDbContext> contexts,
    MemberImportFiles files,
    IJobScheduler jobs,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock,
    IOptions<MemberDataOptions> options,
    IServiceProviderIsService registered) : IMemberImportService
{
    public long MaxUploadBytes => options.Value.ImportMaxBytes;

    public bool CanSendInvitations => registered.IsService(typeof(IMemberAccountActions));

    public async Task<Result<MemberImport>> UploadAsync(Stream content, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var received = await files.ReceiveAsync(content, MaxUploadBytes, cancellationToken);
        if (received is not { } file)
        {
            return Result<MemberImport>.TooLarge(MemberDataMessages.Format("Import.Upload.TooLarge", MediaMessages.FormatSize(MaxUploadBytes)));
        }
        var id = Guid.NewGuid();
        try
        {
            var detected = MemberImportFiles.Detect(file.Path);
            string[]? header;
            try
            {
                using var reader = new StreamReader(file.Path, CsvEncodings.ForReading(detected.Encoding), detectEncodingFromByteOrderMarks: false);
                SkipBom(reader, detected);
                header = new CsvRecordReader(reader).Read();
            }
            catch (CsvFormatException ex)
            {
                return Result<MemberImport>.Invalid(MemberDataMessages.Format("Import.Upload.Unreadable", ex.Record));
            }
            if (header is null || header.All(string.IsNullOrWhiteSpace))
            {
                return Result<MemberImport>.Invalid(MemberDataMessages.Get("Import.Upload.Empty"));
            }
            var columns = await SuggestAsync(header, cancellationToken);
            files.Commit(file.Path, id);
            var actor = await auditContext.GetActorAsync();
            var now = clock.GetUtcNow().UtcDateTime;
            var import = new MemberImport
            {
                Id = id,
                FileName = MediaFileName.Sanitize(fileName),
                SizeBytes = file.Size,
                DetectedEncoding = detected.Encoding,
                HasBom = detected.HasBom,
                Encoding = detected.Encoding,
                Columns = [.. columns],
                Status = MemberImportStatus.Uploaded,
                CreatedAtUtc = now,
                UpdatedAtUtc = now,
            };
            SetActor(import, actor);
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                db.Add(import);
                await db.SaveChangesAsync(cancellationToken);
            }
            await audit.WriteAsync(new AuditRecord(AuditActions.MemberImportUploaded, EntityType, id.ToString("D"),
                AuditParameters.Of(
                    ("bytes", import.SizeBytes.ToString(CultureInfo.InvariantCulture)),
                    ("columns", header.Length.ToString(CultureInfo.InvariantCulture)),
                    ("encoding", Describe(detected)),
                    ("file", import.FileName))),
                cancellationToken);
            return Result.Ok(import);
        }
        catch
        {
            files.DeleteAll(id);
            throw;
        }
        finally
        {
            MemberImportFiles.Delete(file.Path);
        }
    }

    public async Task<MemberImport?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<MemberImport>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
    }

    public async Task<IReadOnlyList<MemberImport>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<MemberImport>().AsNoTracking().OrderByDescending(i => i.CreatedAtUtc).Take(Math.Clamp(count, 1, 100)).ToListAsync(cancellationToken);
    }

    public async Task<Result<MemberImportPreview>> PreviewAsync(Guid id, CsvEncoding encoding, CancellationToken cancellationToken = default)
    {
        var import = await FindAsync(id, cancellationToken);
        if (import is null)
        {
            return Result<MemberImportPreview>.NotFound(MemberDataMessages.Get("Import.NotFound"));
        }
        var rows = new List<IReadOnlyList<string>>();
        string[]? header;
        try
        {
            using var reader = files.OpenCsv(id, encoding);
            if (reader is null)
            {
                return Result<MemberImportPreview>.Conflict(MemberDataMessages.Get("Import.FileGone"));
            }
            SkipBom(reader, new CsvEncodingDetection(encoding, import.HasBom));
            var csv = new CsvRecordReader(reader);
            header = csv.Read();
            while (rows.Count < MemberImport.PreviewRows && csv.Read() is { } row)
            {
                rows.Add(row);
            }
        }
        catch (CsvFormatException ex)
        {
            return Result<MemberImportPreview>.Invalid(MemberDataMessages.Format("Import.Upload.Unreadable", ex.Record));
        }
        if (header is null)
        {
            return Result<MemberImportPreview>.Invalid(MemberDataMessages.Get("Import.Upload.Empty"));
        }
        return Result.Ok(new MemberImportPreview(encoding, header, rows, await SuggestAsync(header, cancellationToken)));
    }

    public async Task<IReadOnlyList<FieldDefinition>> ProfileFieldsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await MemberImportData.ProfileFieldsAsync(db, cancellationToken);
    }

    public async Task<Result<MemberImport>> StartDryRunAsync(Guid id, MemberImportSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var import = await db.Set<MemberImport>().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Result<MemberImport>.NotFound(MemberDataMessages.Get("Import.NotFound"));
        }
        if (import.IsRunning)
        {
            return Result<MemberImport>.Conflict(MemberDataMessages.Get("Import.Running"));
        }
        if (import.Status is not (MemberImportStatus.Uploaded or MemberImportStatus.DryRunDone)
            && !(import.Status == MemberImportStatus.Failed && import.ApplyStartedAtUtc is null))
        {
            return Result<MemberImport>.Conflict(MemberDataMessages.Get("Import.WrongState"));
        }
        string[]? header;
        try
        {
            using var reader = files.OpenCsv(id, settings.Encoding);
            if (reader is null || import.FilesDeletedAtUtc is not null)
            {
                return Result<MemberImport>.Conflict(MemberDataMessages.Get("Import.FileGone"));
            }
            SkipBom(reader, new CsvEncodingDetection(settings.Encoding, import.HasBom));
            header = new CsvRecordReader(reader).Read();
        }
        catch (CsvFormatException ex)
        {
            return Result<MemberImport>.Invalid(MemberDataMessages.Format("Import.Upload.Unreadable", ex.Record));
        }
        if (header is null)
        {
            return Result<MemberImport>.Invalid(MemberDataMessages.Get("Import.Upload.Empty"));
        }
        var fields = await MemberImportData.ProfileFieldsAsync(db, cancellationToken);
        var errors = MemberImportSettingsRules.Validate(settings, header.Length, fields, CanSendInvitations);
        if (errors.Count > 0)
        {
            return Result<MemberImport>.Invalid(errors);
        }

        // The header texts come from the file, never from the page.
        var columns = settings.Columns
            .Select(c => c with { Header = header[c.Index], FieldKey = c.Target == MemberImportTarget.Profile ? c.FieldKey : null })
            .OrderBy(c => c.Index)
            .ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        SetActor(import, await auditContext.GetActorAsync());
        import.Encoding = settings.Encoding;
        import.Existing = settings.Existing;
        import.SendInvitations = settings.SendInvitations;
        import.GroupDelimiter = settings.GroupDelimiter;
        import.Columns = columns;
        import.Status = MemberImportStatus.DryRunQueued;
        import.TotalRows = 0;
        import.ProcessedRows = 0;
        (import.DryRunCreate, import.DryRunUpdate, import.DryRunSkip, import.DryRunRefused) = (0, 0, 0, 0);
        import.Error = null;
        import.UpdatedAtUtc = now;
        import.ConcurrencyToken = Guid.NewGuid();
        await RememberAsync(db, columns, now, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another click or tab started it first.
            return Result<MemberImport>.Conflict(MemberDataMessages.Get("Import.Running"));
        }
        jobs.Enqueue<MemberImportJob>(job => job.DryRunAsync(id, CancellationToken.None));
        return Result.Ok(import);
    }

    public async Task<Result<MemberImport>> StartApplyAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var import = await db.Set<MemberImport>().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Result<MemberImport>.NotFound(MemberDataMessages.Get("Import.NotFound"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var stalled = import.Status is MemberImportStatus.ApplyQueued or MemberImportStatus.Applying
            && import.UpdatedAtUtc < now.AddMinutes(-options.Value.ImportStallMinutes);
        var resume = stalled || (import.Status == MemberImportStatus.Failed && import.ApplyStartedAtUtc is not null);
        if (!resume && import.Status != MemberImportStatus.DryRunDone)
        {
            return Result<MemberImport>.Conflict(MemberDataMessages.Get(import.IsRunning ? "Import.Running" : "Import.WrongState"));
        }
        if (import.FilesDeletedAtUtc is not null || !File.Exists(files.CsvPath(id)))
        {
            return Result<MemberImport>.Conflict(MemberDataMessages.Get("Import.FileGone"));
        }
        if (import.SendInvitations && !CanSendInvitations)
        {
            return Result<MemberImport>.Invalid(MemberDataMessages.Get("Import.Settings.NoInvitations"));
        }
        SetActor(import, await auditContext.GetActorAsync());
        import.Status = MemberImportStatus.ApplyQueued;
        import.ApplyStartedAtUtc ??= now;
        import.Error = null;
        import.UpdatedAtUtc = now;
        import.ConcurrencyToken = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Result<MemberImport>.Conflict(MemberDataMessages.Get("Import.Running"));
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberImportStarted, EntityType, id.ToString("D"),
            resume
                ? AuditParameters.Of(
                    ("batch", (import.LastCommittedBatch + 1).ToString(CultureInfo.InvariantCulture)),
                    ("batches", Batches(import.TotalRows).ToString(CultureInfo.InvariantCulture)),
                    ("file", import.FileName),
                    ("variant", "resumed"))
                : AuditParameters.Of(
                    ("batches", Batches(import.TotalRows).ToString(CultureInfo.InvariantCulture)),
                    ("existing", import.Existing.ToString()),
                    ("file", import.FileName),
                    ("invitations", import.SendInvitations ? "true" : "false"),
                    ("rows", import.TotalRows.ToString(CultureInfo.InvariantCulture)))),
            cancellationToken);
        jobs.Enqueue<MemberImportJob>(job => job.ApplyAsync(id, CancellationToken.None));
        return Result.Ok(import);
    }

    public async Task<Result> DiscardAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var import = await db.Set<MemberImport>().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Result.NotFound(MemberDataMessages.Get("Import.NotFound"));
        }
        if (import.IsRunning)
        {
            return Result.Conflict(MemberDataMessages.Get("Import.Running"));
        }
        if (import.Status is MemberImportStatus.Completed or MemberImportStatus.Discarded)
        {
            return Result.Conflict(MemberDataMessages.Get("Import.WrongState"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        import.Status = MemberImportStatus.Discarded;
        import.UpdatedAtUtc = now;
        import.ConcurrencyToken = Guid.NewGuid();
        if (files.DeleteAll(id))
        {
            import.FilesDeletedAtUtc = now;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Result.Conflict(MemberDataMessages.Get("Import.Running"));
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberImportDiscarded, EntityType, id.ToString("D"),
            AuditParameters.Of(("file", import.FileName))),
            cancellationToken);
        return Result.Success;
    }

    public async IAsyncEnumerable<MemberImportRowResult> ReadReportAsync(Guid id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in files.ReadReportAsync(id, cancellationToken))
        {
            yield return row;
        }
    }

    public const string EntityType = "MemberImport";

    /// <summary>A UTF-8 file read as UTF-8 starts with the byte order mark as U+FEFF: drop it so that the first header is clean.</summary>
    internal static void SkipBom(StreamReader reader, CsvEncodingDetection detection)
    {
        if (detection.Encoding == CsvEncoding.Utf8 && reader.Peek() == '\uFEFF')
        {
            reader.Read();
        }
    }

    internal static int Batches(int rows) => (rows + MemberImport.BatchSize - 1) / MemberImport.BatchSize;

    private static string Describe(CsvEncodingDetection detected) =>
        detected.Encoding == CsvEncoding.ShiftJis ? CsvEncodings.WebName(CsvEncoding.ShiftJis) : detected.HasBom ? "utf-8-bom" : CsvEncodings.WebName(CsvEncoding.Utf8);

    private static void SetActor(MemberImport import, AuditActor actor)
    {
        import.ActorId = actor.UserId;
        import.ActorName = actor.Name.Length <= MemberImport.ActorNameMaxLength ? actor.Name : actor.Name[..MemberImport.ActorNameMaxLength];
        var roles = string.Join(",", actor.Roles);
        import.ActorRoles = roles.Length <= MemberImport.ActorRolesMaxLength ? roles : roles[..MemberImport.ActorRolesMaxLength];
    }

    private async Task<IReadOnlyList<MemberImportColumn>> SuggestAsync(string[] header, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var fields = await MemberImportData.ProfileFieldsAsync(db, cancellationToken);
        var keys = header.Select(MemberImportHeaders.Key).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var remembered = await db.Set<MemberImportHeaderMemory>().AsNoTracking()
            .Where(h => keys.Contains(h.Header))
            .ToDictionaryAsync(h => h.Header, StringComparer.Ordinal, cancellationToken);
        return MemberImportHeaders.Suggest(header, fields, remembered);
    }

    /// <summary>Keeps what each header was mapped to (Ignore included), so the next file with those headers is mapped the same way.</summary>
    private static async Task RememberAsync(KurocoDbContext db, IReadOnlyList<MemberImportColumn> columns, DateTime now, CancellationToken cancellationToken)
    {
        var byKey = columns
            .Select(c => (Key: MemberImportHeaders.Key(c.Header), Column: c))
            .Where(c => c.Key.Length > 0)
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Column, StringComparer.Ordinal);
        var keys = byKey.Keys.ToList();
        var existing = await db.Set<MemberImportHeaderMemory>().Where(h => keys.Contains(h.Header)).ToDictionaryAsync(h => h.Header, StringComparer.Ordinal, cancellationToken);
        foreach (var (key, column) in byKey)
        {
            if (!existing.TryGetValue(key, out var memory))
            {
                memory = new MemberImportHeaderMemory { Header = key };
                db.Add(memory);
            }
            memory.Target = column.Target;
            memory.FieldKey = column.Target == MemberImportTarget.Profile ? column.FieldKey : null;
            memory.UpdatedAtUtc = now;
        }
    }
}

/// <summary>Reads shared by the import service and its jobs.</summary>
internal static class MemberImportData
{
    public static async Task<IReadOnlyList<FieldDefinition>> ProfileFieldsAsync(KurocoDbContext db, CancellationToken cancellationToken)
    {
        var schema = await MemberProfileSchemaStore.ReadAsync(db, cancellationToken);
        return schema is null ? [] : [.. schema.ActiveFields.Where(f => MemberProfileSchema.AllowedKinds.Contains(f.Kind))];
    }
}
