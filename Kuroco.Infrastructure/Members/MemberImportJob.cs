using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Jobs;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Members;

/// <summary>Sees each applied batch just before and just after its commit (tests simulate a crash between batches with it).</summary>
internal interface IMemberImportBatchObserver
{
    void BeforeCommit(Guid importId, int batch);

    void AfterCommit(Guid importId, int batch);
}

/// <summary>
/// The background work of a member import (queued by <see cref="MemberImportService"/> through <see cref="IJobScheduler"/>).
/// <para>
/// <see cref="DryRunAsync"/> reads the whole file twice (first: row count and the first row of each email, for
/// duplicates inside the file; then every row against the rules and the database) and writes the per-row report. Nothing
/// is written to members.
/// </para>
/// <para>
/// <see cref="ApplyAsync"/> writes batches of at most <see cref="MemberImport.BatchSize"/> rows, each in one transaction
/// that also moves the import's <see cref="MemberImport.LastCommittedBatch"/> (claimed first, so a second runner of the
/// same import stops instead of writing a batch twice). A run that was killed is continued by the next run — Hangfire's
/// own retry after a restart, or Resume on the page — from the first uncommitted batch: no row is written twice or half.
/// Rows are checked again as they are written (the database may have changed since the dry run).
/// </para>
/// Progress is kept in the import row, which the page polls. Expected failures (file gone, unreadable CSV) end the
/// import as Failed with a message and an audit entry; a graceful shutdown leaves it running for Hangfire to resume.
/// </summary>
internal sealed partial class MemberImportJob(
    IDbContextFactory<KurocoDbContext> contexts,
    MemberImportFiles files,
    IAuditLog audit,
    IJobScheduler jobs,
    TimeProvider clock,
    IEnumerable<IMemberImportBatchObserver> observers,
    ILogger<MemberImportJob> logger)
{
    private const int MaxBatchAttempts = 3;

    /// <summary>SQLite page cache of the connection that writes a batch (KiB).</summary>
    private const string SqliteImportCacheKib = "65536";

    public async Task DryRunAsync(Guid importId, CancellationToken cancellationToken)
    {
        var import = await ClaimAsync(importId, MemberImportStatus.DryRunQueued, MemberImportStatus.DryRunning, cancellationToken);
        if (import is null)
        {
            return;
        }
        try
        {
            var rules = await RulesAsync(import, cancellationToken);
            var scan = Scan(import);
            await using var report = files.CreateReport(importId);
            int create = 0, update = 0, skip = 0, refused = 0, processed = 0;
            foreach (var (_, batch) in ReadBatches(import, rules, firstBatch: 0))
            {
                var existing = await ExistingAsync(batch, cancellationToken);
                foreach (var candidate in batch)
                {
                    var result = Decide(candidate, scan, existing, import.Existing);
                    await report.WriteAsync(result);
                    switch (result.Outcome)
                    {
                        case MemberImportOutcome.Create: create++; break;
                        case MemberImportOutcome.Update: update++; break;
                        case MemberImportOutcome.Skip: skip++; break;
                        default: refused++; break;
                    }
                }
                processed += batch.Count;
                await ProgressAsync(importId, MemberImportStatus.DryRunning, processed, scan.TotalRows, cancellationToken);
            }
            await report.CommitAsync();

            var now = clock.GetUtcNow().UtcDateTime;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                await db.Set<MemberImport>().Where(i => i.Id == importId && i.Status == MemberImportStatus.DryRunning)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(i => i.Status, MemberImportStatus.DryRunDone)
                        .SetProperty(i => i.TotalRows, scan.TotalRows)
                        .SetProperty(i => i.ProcessedRows, scan.TotalRows)
                        .SetProperty(i => i.DryRunCreate, create)
                        .SetProperty(i => i.DryRunUpdate, update)
                        .SetProperty(i => i.DryRunSkip, skip)
                        .SetProperty(i => i.DryRunRefused, refused)
                        .SetProperty(i => i.DryRunAtUtc, now)
                        .SetProperty(i => i.UpdatedAtUtc, now), cancellationToken);
            }
            await audit.WriteAsync(new AuditRecord(AuditActions.MemberImportChecked, MemberImportService.EntityType, importId.ToString("D"),
                AuditParameters.Of(
                    ("create", create.ToString(CultureInfo.InvariantCulture)),
                    ("encoding", CsvEncodings.WebName(import.Encoding)),
                    ("file", import.FileName),
                    ("refused", refused.ToString(CultureInfo.InvariantCulture)),
                    ("rows", scan.TotalRows.ToString(CultureInfo.InvariantCulture)),
                    ("skip", skip.ToString(CultureInfo.InvariantCulture)),
                    ("update", update.ToString(CultureInfo.InvariantCulture))))
            { Actor = ActorOf(import) }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailAsync(import, MemberImportStatus.DryRunning, ex);
        }
    }

    public async Task ApplyAsync(Guid importId, CancellationToken cancellationToken)
    {
        var import = await ClaimAsync(importId, MemberImportStatus.ApplyQueued, MemberImportStatus.Applying, cancellationToken);
        if (import is null)
        {
            return;
        }
        try
        {
            var rules = await RulesAsync(import, cancellationToken);
            var scan = Scan(import);
            var firstBatch = import.LastCommittedBatch + 1;
            foreach (var (batch, candidates) in ReadBatches(import, rules, firstBatch))
            {
                if (!await ApplyBatchAsync(import, batch, candidates, scan, cancellationToken))
                {
                    LogLostClaim(logger, importId, batch);
                    return;
                }
            }
            await CompleteAsync(import, scan, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailAsync(import, MemberImportStatus.Applying, ex);
        }
    }

    /// <summary>One batch in one transaction; false when another runner committed it first (this one stops).</summary>
    private async Task<bool> ApplyBatchAsync(MemberImport import, int batch, List<MemberImportCandidate> candidates, FileScan scan, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryApplyBatchAsync(import, batch, candidates, scan, cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt < MaxBatchAttempts)
            {
                // A member changed or appeared between the read and the write (SQL Server; on SQLite the claim holds the
                // write lock first): the whole batch was rolled back, so read it again.
                LogBatchRetry(logger, import.Id, batch, attempt, ex);
            }
        }
    }

    private async Task<bool> TryApplyBatchAsync(MemberImport import, int batch, List<MemberImportCandidate> candidates, FileScan scan, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // A batch touches every index of Members at scattered pages (email, name, search text, the search index):
            // with SQLite's default 2 MB page cache a large import rereads them from the OS for every batch. The setting
            // stays with the pooled connection.
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -" + SqliteImportCacheKib, cancellationToken);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Claim the batch first: the row lock (SQLite: the write lock) makes a second runner wait here and then find
        // the batch taken.
        var processed = MemberImport.BatchRange(batch, scan.TotalRows).End;
        var claimed = await db.Set<MemberImport>()
            .Where(i => i.Id == import.Id && i.Status == MemberImportStatus.Applying && i.LastCommittedBatch == batch - 1)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.LastCommittedBatch, batch)
                .SetProperty(i => i.ProcessedRows, processed)
                .SetProperty(i => i.TotalRows, scan.TotalRows)
                .SetProperty(i => i.UpdatedAtUtc, now), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        var emails = candidates.Where(c => c.NormalizedEmail.Length > 0).Select(c => c.NormalizedEmail).Distinct(StringComparer.Ordinal).ToList();
        var members = await db.Members.Where(m => emails.Contains(m.NormalizedEmail)).ToDictionaryAsync(m => m.NormalizedEmail, StringComparer.Ordinal, cancellationToken);
        var memberIds = members.Values.Select(m => m.Id).ToList();
        var memberships = import.Columns.Any(c => c.Target == MemberImportTarget.Groups) && memberIds.Count > 0
            ? (await db.MemberGroupMemberships.AsNoTracking().Where(g => memberIds.Contains(g.MemberId)).Select(g => new { g.MemberId, g.GroupId }).ToListAsync(cancellationToken))
                .Select(g => (g.MemberId, g.GroupId)).ToHashSet()
            : [];
        var existing = members.ToDictionary(m => m.Key, m => m.Value.Status, StringComparer.Ordinal);
        int created = 0, updated = 0, skipped = 0, refused = 0, invitations = 0;
        foreach (var candidate in candidates)
        {
            var result = Decide(candidate, scan, existing, import.Existing);
            switch (result.Outcome)
            {
                case MemberImportOutcome.Create:
                    var member = NewMember(candidate, now);
                    db.Members.Add(member);
                    // Later rows of this batch see it (a duplicate is refused anyway, this keeps the lookup honest).
                    existing[candidate.NormalizedEmail] = member.Status;
                    if (import.SendInvitations)
                    {
                        db.Add(new MemberImportInvitation { ImportId = import.Id, MemberId = member.Id });
                        invitations++;
                    }
                    created++;
                    break;
                case MemberImportOutcome.Update:
                    var current = members[candidate.NormalizedEmail];
                    Update(current, candidate, now);
                    foreach (var groupId in candidate.GroupIds.Where(g => !memberships.Contains((current.Id, g))))
                    {
                        db.MemberGroupMemberships.Add(new MemberGroupMembership { MemberId = current.Id, GroupId = groupId, AddedAtUtc = now });
                    }
                    updated++;
                    break;
                case MemberImportOutcome.Skip:
                    skipped++;
                    break;
                default:
                    refused++;
                    break;
            }
        }
        await db.Set<MemberImport>().Where(i => i.Id == import.Id)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Created, i => i.Created + created)
                .SetProperty(i => i.Updated, i => i.Updated + updated)
                .SetProperty(i => i.Skipped, i => i.Skipped + skipped)
                .SetProperty(i => i.Refused, i => i.Refused + refused)
                .SetProperty(i => i.InvitationsQueued, i => i.InvitationsQueued + invitations), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var observer in observers)
        {
            observer.BeforeCommit(import.Id, batch);
        }
        await transaction.CommitAsync(cancellationToken);
        foreach (var observer in observers)
        {
            observer.AfterCommit(import.Id, batch);
        }
        return true;
    }

    private async Task CompleteAsync(MemberImport import, FileScan scan, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (import.SendInvitations)
        {
            // Before the import is marked complete: a crash in between queues the (idempotent) sender again.
            jobs.Enqueue<MemberImportInvitationJob>(job => job.SendAsync(import.Id, CancellationToken.None));
        }
        MemberImport done;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var changed = await db.Set<MemberImport>().Where(i => i.Id == import.Id && i.Status == MemberImportStatus.Applying)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Status, MemberImportStatus.Completed)
                    .SetProperty(i => i.ProcessedRows, scan.TotalRows)
                    .SetProperty(i => i.CompletedAtUtc, now)
                    .SetProperty(i => i.UpdatedAtUtc, now), cancellationToken);
            if (changed == 0)
            {
                return;
            }
            done = await db.Set<MemberImport>().AsNoTracking().FirstAsync(i => i.Id == import.Id, cancellationToken);
        }
        // Applied: the upload (personal data) goes at once; the report stays until the retention period ends.
        files.DeleteCsv(import.Id);
        await audit.WriteAsync(new AuditRecord(AuditActions.MembersImported, MemberImportService.EntityType, import.Id.ToString("D"),
            AuditParameters.Of(
                ("batches", MemberImportService.Batches(done.TotalRows).ToString(CultureInfo.InvariantCulture)),
                ("created", done.Created.ToString(CultureInfo.InvariantCulture)),
                ("existing", done.Existing.ToString()),
                ("file", done.FileName),
                ("invitations", done.InvitationsQueued.ToString(CultureInfo.InvariantCulture)),
                ("refused", done.Refused.ToString(CultureInfo.InvariantCulture)),
                ("rows", done.TotalRows.ToString(CultureInfo.InvariantCulture)),
                ("skipped", done.Skipped.ToString(CultureInfo.InvariantCulture)),
                ("updated", done.Updated.ToString(CultureInfo.InvariantCulture))))
        { Actor = ActorOf(done) }, cancellationToken);
    }

    private static Member NewMember(MemberImportCandidate candidate, DateTime now)
    {
        var member = new Member
        {
            // Time-ordered ids: a batch's rows land side by side in the primary key instead of on random pages.
            Id = Guid.CreateVersion7(now),
            Email = candidate.Email,
            DisplayName = candidate.DisplayName ?? "",
            NameKana = candidate.NameKana,
            Language = candidate.Language ?? MemberLanguages.Japanese,
            Status = MemberStatus.PendingVerification,
            ProfileJson = ContentValues.Serialize(candidate.Profile.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal)),
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        member.RefreshDerivedFields();
        foreach (var groupId in candidate.GroupIds)
        {
            member.Groups.Add(new MemberGroupMembership { MemberId = member.Id, GroupId = groupId, AddedAtUtc = now });
        }
        return member;
    }

    /// <summary>The row's non-empty cells replace the member's values; an empty cell leaves a value as it is.</summary>
    private static void Update(Member member, MemberImportCandidate candidate, DateTime now)
    {
        member.DisplayName = candidate.DisplayName ?? member.DisplayName;
        member.NameKana = candidate.NameKana ?? member.NameKana;
        member.Language = candidate.Language ?? member.Language;
        if (candidate.Profile.Count > 0)
        {
            var values = ContentValues.Parse(member.ProfileJson);
            foreach (var (key, value) in candidate.Profile)
            {
                values[key] = value;
            }
            member.ProfileJson = ContentValues.Serialize(values);
        }
        member.RefreshDerivedFields();
        member.UpdatedAtUtc = now;
        member.ConcurrencyToken = Guid.NewGuid();
    }

    private static MemberImportRowResult Decide(MemberImportCandidate candidate, FileScan scan, Dictionary<string, MemberStatus> existing, MemberImportExisting rule)
    {
        var first = candidate.NormalizedEmail.Length > 0 && scan.FirstRowByEmail.TryGetValue(candidate.NormalizedEmail, out var row) ? row : candidate.Row;
        var result = MemberImportRowRules.Decide(candidate, first, existing.ContainsKey(candidate.NormalizedEmail), rule);
        // An erased member keeps its row but nothing personal: an import never writes into it.
        return result.Outcome is MemberImportOutcome.Update or MemberImportOutcome.Skip
            && existing.TryGetValue(candidate.NormalizedEmail, out var status) && status == MemberStatus.Erased
            ? result with { Outcome = MemberImportOutcome.Refuse, Issues = [new MemberImportIssue(MemberImportProblem.ErasedMember)] }
            : result;
    }

    private async Task<Dictionary<string, MemberStatus>> ExistingAsync(List<MemberImportCandidate> batch, CancellationToken cancellationToken)
    {
        var emails = batch.Where(c => c.NormalizedEmail.Length > 0).Select(c => c.NormalizedEmail).Distinct(StringComparer.Ordinal).ToList();
        if (emails.Count == 0)
        {
            return new(StringComparer.Ordinal);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Members.AsNoTracking().Where(m => emails.Contains(m.NormalizedEmail))
            .Select(m => new { m.NormalizedEmail, m.Status })
            .ToDictionaryAsync(m => m.NormalizedEmail, m => m.Status, StringComparer.Ordinal, cancellationToken);
    }

    private async Task<MemberImportRowRules> RulesAsync(MemberImport import, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var fields = await MemberImportData.ProfileFieldsAsync(db, cancellationToken);
        var groups = await db.MemberGroups.AsNoTracking().ToListAsync(cancellationToken);
        return new MemberImportRowRules(import.Settings, fields, groups);
    }

    /// <summary>The number of data rows and, per email, the row it first appears in (later copies are refused).</summary>
    private sealed record FileScan(int TotalRows, Dictionary<string, int> FirstRowByEmail);

    private FileScan Scan(MemberImport import)
    {
        var emailColumn = import.Columns.First(c => c.Target == MemberImportTarget.Email).Index;
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        using var reader = Open(import);
        var csv = new CsvRecordReader(reader);
        _ = csv.Read();
        while (csv.Read() is { } cells)
        {
            total++;
            if (total > MemberImport.MaxRows)
            {
                throw new MemberImportFileException(MemberDataMessages.Format("Import.Upload.TooManyRows", MemberImport.MaxRows));
            }
            if (emailColumn < cells.Length && CsvCells.Restore(cells[emailColumn].Trim()) is { Length: > 0 } email)
            {
                first.TryAdd(MemberText.NormalizeEmail(email), csv.Record);
            }
        }
        return new FileScan(total, first);
    }

    /// <summary>The data rows as candidates in batches; rows of batches before <paramref name="firstBatch"/> are read past unparsed.</summary>
    private IEnumerable<(int Batch, List<MemberImportCandidate> Rows)> ReadBatches(MemberImport import, MemberImportRowRules rules, int firstBatch)
    {
        using var reader = Open(import);
        var csv = new CsvRecordReader(reader);
        _ = csv.Read();
        var index = 0;
        var batch = new List<MemberImportCandidate>(MemberImport.BatchSize);
        while (csv.Read() is { } cells)
        {
            var number = index / MemberImport.BatchSize;
            index++;
            if (number < firstBatch)
            {
                continue;
            }
            batch.Add(rules.Read(csv.Record, cells));
            if (batch.Count == MemberImport.BatchSize)
            {
                yield return (number, batch);
                batch = new List<MemberImportCandidate>(MemberImport.BatchSize);
            }
        }
        if (batch.Count > 0)
        {
            yield return ((index - 1) / MemberImport.BatchSize, batch);
        }
    }

    private StreamReader Open(MemberImport import)
    {
        var reader = files.OpenCsv(import.Id, import.Encoding)
            ?? throw new MemberImportFileException(MemberDataMessages.Get("Import.FileGone"));
        MemberImportService.SkipBom(reader, new CsvEncodingDetection(import.Encoding, import.HasBom));
        return reader;
    }

    private async Task<MemberImport?> ClaimAsync(Guid id, MemberImportStatus queued, MemberImportStatus running, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Set<MemberImport>().Where(i => i.Id == id && (i.Status == queued || i.Status == running))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, running).SetProperty(i => i.UpdatedAtUtc, now), cancellationToken);
        return claimed == 0 ? null : await db.Set<MemberImport>().AsNoTracking().FirstAsync(i => i.Id == id, cancellationToken);
    }

    private async Task ProgressAsync(Guid id, MemberImportStatus running, int processed, int total, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Set<MemberImport>().Where(i => i.Id == id && i.Status == running)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ProcessedRows, processed).SetProperty(i => i.TotalRows, total).SetProperty(i => i.UpdatedAtUtc, now), cancellationToken);
    }

    /// <summary>Ends the import as Failed (whatever the cancellation: the outcome must be recorded).</summary>
    private async Task FailAsync(MemberImport import, MemberImportStatus running, Exception exception)
    {
        string reason;
        switch (exception)
        {
            case MemberImportFileException file:
                reason = file.Message;
                break;
            case CsvFormatException csv:
                reason = MemberDataMessages.Format("Import.Upload.Unreadable", csv.Record);
                break;
            default:
                LogFailed(logger, import.Id, exception);
                reason = MemberDataMessages.Get("Import.Unexpected");
                break;
        }
        var message = MemberDataMessages.Format("Import.Failed", reason);
        if (message.Length > MemberImport.ErrorMaxLength)
        {
            message = message[..MemberImport.ErrorMaxLength];
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = await contexts.CreateDbContextAsync(CancellationToken.None))
        {
            await db.Set<MemberImport>().Where(i => i.Id == import.Id && i.Status == running)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, MemberImportStatus.Failed).SetProperty(i => i.Error, message).SetProperty(i => i.UpdatedAtUtc, now), CancellationToken.None);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberImportFailed, MemberImportService.EntityType, import.Id.ToString("D"),
            AuditParameters.Of(
                ("error", exception.GetType().Name),
                ("file", import.FileName),
                ("variant", running == MemberImportStatus.Applying ? "apply" : "dry-run")),
            AuditOutcome.Failure)
        { Actor = ActorOf(import) }, CancellationToken.None);
    }

    internal static AuditActor ActorOf(MemberImport import) =>
        new(import.ActorId, import.ActorName.Length > 0 ? import.ActorName : "system",
            [.. import.ActorRoles.Split(',', StringSplitOptions.RemoveEmptyEntries)]);

    [LoggerMessage(Level = LogLevel.Error, Message = "Member import {ImportId} failed.")]
    private static partial void LogFailed(ILogger logger, Guid importId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member import {ImportId}: batch {Batch} was rolled back (attempt {Attempt}); reading it again.")]
    private static partial void LogBatchRetry(ILogger logger, Guid importId, int batch, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Member import {ImportId}: batch {Batch} is taken by another run; this run stops.")]
    private static partial void LogLostClaim(ILogger logger, Guid importId, int batch);
}

/// <summary>The import's file cannot be used (gone, too many rows): the import fails with this message.</summary>
internal sealed class MemberImportFileException(string message) : Exception(message);
