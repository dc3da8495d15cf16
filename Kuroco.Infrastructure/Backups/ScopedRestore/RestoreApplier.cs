using System.Globalization;
using System.Security.Cryptography;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Media;
using Kuroco.Infrastructure.Members;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Backups.ScopedRestore;

/// <summary>
/// Writes the decided records into the live context (the caller saves and commits in one transaction) and stages media files
/// under temporary names: <see cref="MoveStagedFiles"/> after the commit, <see cref="DiscardStagedFiles"/> otherwise.
/// </summary>
internal sealed class RestoreApplier(
    KurocoDbContext live,
    RestoreExtract extract,
    Dictionary<string, RestoreDecision> decisions,
    MediaFileStore files,
    IBackupSnapshot snapshot,
    string reference,
    string actor,
    DateTime now)
{
    public const int VersionNoteMaxLength = 100;

    private readonly List<(string Temp, Guid Id)> staged = [];
    private readonly HashSet<string> usedSlugs = new(StringComparer.Ordinal);

    /// <summary>Records written; <c>Audited</c> for the ones that get their own entry (dependants are counted in their parent's).</summary>
    public List<(string Key, bool Audited, bool Renamed)> Restored { get; } = [];

    public HashSet<string> ChangedTypes { get; } = new(StringComparer.Ordinal);

    public List<(ContentChangeKind Kind, ContentType Type, ContentItem Item)> ChangedItems { get; } = [];

    private RestoreDecision DecisionOf(string key) => decisions.GetValueOrDefault(key, RestoreDecision.None);

    private bool Writes(string key) => DecisionOf(key) is RestoreDecision.Apply or RestoreDecision.Rename;

    public async Task<Result> ApplyAsync(CancellationToken cancellationToken)
    {
        foreach (var group in extract.Groups.Values)
        {
            await ApplyGroupAsync(group, cancellationToken);
        }
        foreach (var member in extract.Members.Values)
        {
            await ApplyMemberAsync(member, cancellationToken);
        }
        var types = new Dictionary<Guid, ContentType>();
        foreach (var type in extract.Types.Values)
        {
            types[type.Id] = await ApplyTypeAsync(type, cancellationToken);
        }
        foreach (var item in extract.Items.Values)
        {
            await ApplyItemAsync(item, types, cancellationToken);
        }
        foreach (var media in extract.Media.Values)
        {
            if (await ApplyMediaAsync(media, cancellationToken) is { Succeeded: false } failed)
            {
                return failed;
            }
        }
        return Result.Success;
    }

    private async Task ApplyGroupAsync(MemberGroup backup, CancellationToken cancellationToken)
    {
        var key = RestorePlanner.GroupKey(backup.Id);
        if (!Writes(key))
        {
            return;
        }
        var (nameJa, nameEn) = (backup.NameJa, backup.NameEn);
        if (DecisionOf(key) == RestoreDecision.Rename)
        {
            for (var n = 1; await RestorePlanner.GroupNameOwnerAsync(live, nameJa, nameEn, backup.Id, cancellationToken) is not null; n++)
            {
                var suffix = n == 1 ? "" : " " + n.ToString(CultureInfo.InvariantCulture);
                nameJa = backup.NameJa.Length == 0 ? "" : Cut(backup.NameJa, MemberGroup.NameMaxLength - 5 - suffix.Length) + "（復元" + suffix + "）";
                nameEn = backup.NameEn.Length == 0 ? "" : Cut(backup.NameEn, MemberGroup.NameMaxLength - 11 - suffix.Length) + " (restored" + suffix + ")";
            }
        }
        var current = await live.MemberGroups.FirstOrDefaultAsync(g => g.Id == backup.Id, cancellationToken);
        if (current is null)
        {
            live.MemberGroups.Add(new MemberGroup { Id = backup.Id, NameJa = nameJa, NameEn = nameEn, CreatedAtUtc = backup.CreatedAtUtc, UpdatedAtUtc = now });
        }
        else
        {
            (current.NameJa, current.NameEn, current.UpdatedAtUtc, current.ConcurrencyToken) = (nameJa, nameEn, now, Guid.NewGuid());
        }
        // Saved at once so that a rename of a later group sees this one's name.
        await live.SaveChangesAsync(cancellationToken);
        Restored.Add((key, true, DecisionOf(key) == RestoreDecision.Rename));
    }

    private async Task ApplyMemberAsync(Member backup, CancellationToken cancellationToken)
    {
        var key = RestorePlanner.MemberKey(backup.Id);
        var decision = DecisionOf(key);
        if (decision is RestoreDecision.Apply or RestoreDecision.Rename)
        {
            var email = decision == RestoreDecision.Rename ? await EmailAliasAsync(backup, cancellationToken) : backup.Email;
            var current = await live.Members.FirstOrDefaultAsync(m => m.Id == backup.Id, cancellationToken);
            if (current is null)
            {
                var member = Copy(backup, new Member
                {
                    Id = backup.Id,
                    PasswordHash = backup.PasswordHash,
                    PasswordSetAtUtc = backup.PasswordSetAtUtc,
                    MustChangePassword = backup.MustChangePassword,
                    CreatedAtUtc = backup.CreatedAtUtc,
                    LastSignInAtUtc = backup.LastSignInAtUtc,
                    ErasedAtUtc = backup.ErasedAtUtc,
                }, email);
                live.Members.Add(member);
                live.MemberConsents.AddRange(extract.Consents.Where(c => c.MemberId == backup.Id).Select(c => new MemberConsent
                {
                    MemberId = c.MemberId, Kind = c.Kind, Version = c.Version, GrantedAtUtc = c.GrantedAtUtc, WithdrawnAtUtc = c.WithdrawnAtUtc,
                }));
                live.Set<MemberPasswordHistoryEntry>().AddRange(extract.PasswordHistory.Where(h => h.MemberId == backup.Id).Select(h => new MemberPasswordHistoryEntry
                {
                    MemberId = h.MemberId, PasswordHash = h.PasswordHash, CreatedAtUtc = h.CreatedAtUtc,
                }));
            }
            else
            {
                var endSessions = !string.Equals(current.Email, email, StringComparison.Ordinal) || current.Status != backup.Status;
                Copy(backup, current, email);
                if (endSessions)
                {
                    current.SecurityStamp = Guid.NewGuid().ToString("N");
                }
            }
            Restored.Add((key, true, decision == RestoreDecision.Rename));
        }
        foreach (var membership in extract.Memberships.Where(m => m.MemberId == backup.Id))
        {
            var membershipKey = RestorePlanner.MembershipKey(backup.Id, membership.GroupId);
            // A group of the scope that was kept live and is gone live cannot take members.
            var groupKept = extract.Groups.ContainsKey(membership.GroupId) && DecisionOf(RestorePlanner.GroupKey(membership.GroupId)) == RestoreDecision.Skip
                && !await live.MemberGroups.AnyAsync(g => g.Id == membership.GroupId, cancellationToken);
            if (Writes(membershipKey) && !groupKept)
            {
                live.MemberGroupMemberships.Add(new MemberGroupMembership { MemberId = backup.Id, GroupId = membership.GroupId, AddedAtUtc = membership.AddedAtUtc });
                Restored.Add((membershipKey, false, false));
            }
        }
    }

    /// <summary>The fields a restore brings back into <paramref name="target"/> (never the password of a member that still exists).</summary>
    private Member Copy(Member backup, Member target, string email)
    {
        target.Email = email;
        target.DisplayName = backup.DisplayName;
        target.NameKana = backup.NameKana;
        target.Language = backup.Language;
        target.Status = backup.Status;
        target.ProfileJson = backup.ProfileJson;
        target.EmailVerifiedAtUtc = backup.EmailVerifiedAtUtc;
        target.UpdatedAtUtc = now;
        target.ConcurrencyToken = Guid.NewGuid();
        target.RefreshDerivedFields();
        return target;
    }

    /// <summary>"name+restored@domain", then "name+restored-2@domain", ...: the first no live member has.</summary>
    private async Task<string> EmailAliasAsync(Member backup, CancellationToken cancellationToken)
    {
        var at = backup.Email.LastIndexOf('@');
        var (local, domain) = at < 0 ? (backup.Email, "") : (backup.Email[..at], backup.Email[at..]);
        for (var n = 1; ; n++)
        {
            var candidate = local + "+restored" + (n == 1 ? "" : "-" + n.ToString(CultureInfo.InvariantCulture)) + domain;
            var normalized = MemberText.NormalizeEmail(candidate);
            if (!await live.Members.AnyAsync(m => m.NormalizedEmail == normalized, cancellationToken))
            {
                return candidate;
            }
        }
    }

    private async Task<ContentType> ApplyTypeAsync(ContentType backup, CancellationToken cancellationToken)
    {
        var key = RestorePlanner.TypeKey(backup.Id);
        var current = await live.ContentTypes.FirstOrDefaultAsync(t => t.Id == backup.Id, cancellationToken);
        if (!Writes(key))
        {
            return current ?? backup;
        }
        if (current is null)
        {
            backup.ConcurrencyToken = Guid.NewGuid();
            backup.UpdatedAtUtc = now;
            live.ContentTypes.Add(backup);
            current = backup;
        }
        else
        {
            current.Name = backup.Name;
            current.Description = backup.Description;
            current.Fields = [.. backup.Fields.Select(f => f.Clone())];
            current.UpdatedAtUtc = now;
            current.ConcurrencyToken = Guid.NewGuid();
        }
        // Saved at once: the items' index rows are built from the type as it will be.
        await live.SaveChangesAsync(cancellationToken);
        ChangedTypes.Add(current.ApiId);
        Restored.Add((key, true, false));
        return current;
    }

    private async Task ApplyItemAsync(ContentItem backup, Dictionary<Guid, ContentType> restoredTypes, CancellationToken cancellationToken)
    {
        var key = RestorePlanner.ItemKey(backup.Id);
        var decision = DecisionOf(key);
        if (decision is not (RestoreDecision.Apply or RestoreDecision.Rename))
        {
            AddVersions(backup);
            return;
        }
        var type = restoredTypes.GetValueOrDefault(backup.TypeId)
            ?? await live.ContentTypes.AsNoTracking().FirstAsync(t => t.Id == backup.TypeId, cancellationToken);
        var slug = decision == RestoreDecision.Rename ? await SlugAliasAsync(backup, type.ApiId, cancellationToken) : backup.Slug;
        usedSlugs.Add(type.ApiId + "/" + slug);
        var current = await live.ContentItems.FirstOrDefaultAsync(i => i.Id == backup.Id, cancellationToken);
        var wasVisible = current is { Status: ContentStatus.Published, DeletedAtUtc: null };
        ContentItem target;
        if (current is null)
        {
            target = backup;
            target.TypeApiId = type.ApiId;
            target.Slug = slug;
            target.ConcurrencyToken = Guid.NewGuid();
            live.ContentItems.Add(target);
            AddVersions(backup);
            live.ContentReviews.AddRange(extract.Reviews.Where(r => r.ItemId == backup.Id).Select(r => new ContentReview
            {
                ItemId = r.ItemId, Action = r.Action, VersionNumber = r.VersionNumber, Comment = r.Comment, By = r.By, AtUtc = r.AtUtc,
            }));
        }
        else
        {
            target = current;
            target.TypeApiId = type.ApiId;
            target.Slug = slug;
            target.Title = backup.Title;
            target.Status = backup.Status;
            target.HasUnpublishedChanges = backup.HasUnpublishedChanges;
            target.PublishAtUtc = backup.PublishAtUtc;
            target.UnpublishAtUtc = backup.UnpublishAtUtc;
            target.PublishedAtUtc = backup.PublishedAtUtc;
            target.HasJa = backup.HasJa;
            target.HasEn = backup.HasEn;
            target.ValuesJa = backup.ValuesJa;
            target.ValuesEn = backup.ValuesEn;
            target.PublishedJa = backup.PublishedJa;
            target.PublishedEn = backup.PublishedEn;
            target.ReviewState = backup.ReviewState;
            target.DeletedAtUtc = backup.DeletedAtUtc;
            target.DeletedBy = backup.DeletedBy;
            target.RestrictedToGroups = [.. backup.RestrictedToGroups];
            target.UpdatedAtUtc = now;
            target.UpdatedBy = actor;
            target.ConcurrencyToken = Guid.NewGuid();
            var highest = AddVersions(backup);
            target.VersionCount = Math.Max(target.VersionCount, highest);
            // Every save keeps a version: this one says where the content came from.
            live.ContentVersions.Add(target.NewVersion(Cut("backup restore " + reference, VersionNoteMaxLength), now));
        }
        Restored.Add((key, true, decision == RestoreDecision.Rename));
        var visible = target is { Status: ContentStatus.Published, DeletedAtUtc: null };
        var kind = target.DeletedAtUtc is not null ? ContentChangeKind.Deleted
            : visible ? ContentChangeKind.Published
            : wasVisible ? ContentChangeKind.Unpublished
            : ContentChangeKind.Updated;
        ChangedItems.Add((kind, type, target));
    }

    /// <summary>Adds the item's versions whose decision is to write; returns the highest number added (0 for none).</summary>
    private int AddVersions(ContentItem backup)
    {
        var highest = 0;
        foreach (var version in extract.Versions.Where(v => v.ItemId == backup.Id))
        {
            var key = RestorePlanner.VersionKey(version.Id);
            if (!Writes(key))
            {
                continue;
            }
            live.ContentVersions.Add(new ContentVersion
            {
                ItemId = version.ItemId, Number = version.Number, Slug = version.Slug, Status = version.Status, ValuesJa = version.ValuesJa,
                ValuesEn = version.ValuesEn, SavedBy = version.SavedBy, SavedAtUtc = version.SavedAtUtc, Note = version.Note,
            });
            highest = Math.Max(highest, version.Number);
            Restored.Add((key, false, false));
        }
        return highest;
    }

    /// <summary>"slug-restored", then "slug-restored-2", ...: the first no live item of the type has.</summary>
    private async Task<string> SlugAliasAsync(ContentItem backup, string typeApiId, CancellationToken cancellationToken)
    {
        for (var n = 1; ; n++)
        {
            var suffix = "-restored" + (n == 1 ? "" : "-" + n.ToString(CultureInfo.InvariantCulture));
            var candidate = Cut(backup.Slug, ContentItem.SlugMaxLength - suffix.Length) + suffix;
            if (!usedSlugs.Contains(typeApiId + "/" + candidate)
                && await RestorePlanner.SlugOwnerAsync(live, backup.TypeId, typeApiId, candidate, backup.Id, cancellationToken) is null)
            {
                return candidate;
            }
        }
    }

    private async Task<Result> ApplyMediaAsync(MediaItem backup, CancellationToken cancellationToken)
    {
        var key = RestorePlanner.MediaKey(backup.Id);
        if (!Writes(key))
        {
            return Result.Success;
        }
        var current = await live.MediaItems.FirstOrDefaultAsync(m => m.Id == backup.Id, cancellationToken);
        var fileOk = current is not null && string.Equals(current.Sha256, backup.Sha256, StringComparison.Ordinal)
            && new FileInfo(files.PathFor(backup.Id)) is { Exists: true } info && info.Length == backup.SizeBytes;
        if (!fileOk && await StageFileAsync(backup, cancellationToken) is { Succeeded: false } failed)
        {
            return failed;
        }
        if (current is null)
        {
            live.MediaItems.Add(backup);
        }
        else
        {
            current.OriginalFileName = backup.OriginalFileName;
            current.ContentType = backup.ContentType;
            current.SizeBytes = backup.SizeBytes;
            current.Sha256 = backup.Sha256;
            current.Width = backup.Width;
            current.Height = backup.Height;
            current.AltTextJa = backup.AltTextJa;
            current.AltTextEn = backup.AltTextEn;
            current.TitleJa = backup.TitleJa;
            current.TitleEn = backup.TitleEn;
            current.DeletedAtUtc = backup.DeletedAtUtc;
            current.DeletedByUserId = backup.DeletedByUserId;
            current.UpdatedAtUtc = now;
        }
        Restored.Add((key, true, false));
        return Result.Success;
    }

    /// <summary>Copies the backup's file to a temporary name beside the media folder, checking its SHA-256 against the row.</summary>
    private async Task<Result> StageFileAsync(MediaItem backup, CancellationToken cancellationToken)
    {
        var name = RestorePlanner.Id(backup.Id);
        var temp = files.NewTempPath();
        try
        {
            await using var source = await snapshot.OpenMediaFileAsync(RelativePathOf(backup.Id), cancellationToken);
            if (source is null)
            {
                return Result.Failure(ErrorKind.Validation, ScopedRestoreMessages.Format("Restore.MediaFileMissing", name));
            }
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                staged.Add((temp, backup.Id));
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            return string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), backup.Sha256, StringComparison.OrdinalIgnoreCase)
                ? Result.Success
                : Result.Failure(ErrorKind.Validation, ScopedRestoreMessages.Format("Restore.MediaFileChecksum", name));
        }
        // A damaged media archive is found only now (the snapshot decrypts it on first use): the same refusal as an
        // unreadable file, and the caller rolls back what it staged.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or CryptographicException)
        {
            return Result.Failure(ErrorKind.Validation, ScopedRestoreMessages.Format("Restore.MediaFileUnreadable", name, e.Message));
        }
    }

    /// <summary>The file's path inside the media folder as <see cref="MediaFileStore.PathFor"/> lays it out ("ab/cd/{id:N}").</summary>
    public static string RelativePathOf(Guid id)
    {
        var n = id.ToString("N");
        return n[..2] + "/" + n[2..4] + "/" + n;
    }

    /// <summary>After the commit: the staged files replace the live ones (their old thumbnails go, they are made again on demand).</summary>
    public void MoveStagedFiles()
    {
        foreach (var (temp, id) in staged)
        {
            var thumbs = Path.GetDirectoryName(files.ThumbnailPathFor(id, 0))!;
            if (Directory.Exists(thumbs))
            {
                foreach (var thumb in Directory.EnumerateFiles(thumbs, id.ToString("N") + "-*.webp"))
                {
                    MediaFileStore.Delete(thumb);
                }
            }
            var target = files.PathFor(id);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temp, target, overwrite: true);
        }
        staged.Clear();
    }

    public void DiscardStagedFiles()
    {
        foreach (var (temp, _) in staged)
        {
            MediaFileStore.Delete(temp);
        }
        staged.Clear();
    }

    public RestoreApplySummary Summary(IReadOnlyList<RestoreRecordDiff> records)
    {
        var written = Restored.ToDictionary(r => r.Key, r => r.Renamed, StringComparer.Ordinal);
        int Count(Func<RestoreRecordDiff, bool> test) => records.Count(test);
        return new RestoreApplySummary(
            Added: Count(r => written.TryGetValue(r.RecordKey, out var renamed) && !renamed && r.Change == RestoreChangeKind.Add),
            Overwritten: Count(r => written.TryGetValue(r.RecordKey, out var renamed) && !renamed && r.Change is RestoreChangeKind.Overwrite or RestoreChangeKind.Conflict),
            Unchanged: Count(r => r.Change == RestoreChangeKind.Unchanged),
            KeptLive: Count(r => DecisionOf(r.RecordKey) == RestoreDecision.Skip),
            Renamed: Count(r => written.TryGetValue(r.RecordKey, out var renamed) && renamed),
            RestoredRecordKeys: [.. Restored.Select(r => r.Key)]);
    }

    private static string Cut(string value, int length) => value.Length > length ? value[..Math.Max(0, length)] : value;
}
