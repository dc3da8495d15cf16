using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>Personal-data requests: the export of everything held about a member, and erasure (see <see cref="IMemberDataRequests"/>).</summary>
internal sealed class MemberDataRequestService(
    IDbContextFactory<KurocoDbContext> contexts,
    IMemberPersonalData personal,
    IAuditLog audit,
    TimeProvider clock) : IMemberDataRequests
{
    public const string EntityType = "Member";

    /// <summary>What a protected value of another member reads as in this member's export.</summary>
    public const string Withheld = "(another member's data)";

    public static string ErasedEmail(Guid memberId) => string.Create(CultureInfo.InvariantCulture, $"erased-{memberId:D}@erased.invalid");

    public async Task<Result<MemberPersonalDataDocument>> ExportAsync(Guid memberId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return Result<MemberPersonalDataDocument>.NotFound(MemberDataMessages.Get("Member.NotFound"));
        }
        var now = clock.GetUtcNow();
        var schema = await MemberProfileSchemaStore.ReadAsync(db, cancellationToken);
        var values = ContentValues.Parse(member.ProfileJson);
        var fields = new List<MemberPersonalDataField>();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            // Every value held, archived fields included; a key without a definition any more is still the member's data.
            var field = schema?.Fields.FirstOrDefault(f => f.Key == key);
            fields.Add(field is null
                ? new MemberPersonalDataField(key, key, key, "Unknown", value)
                : new MemberPersonalDataField(key, field.LabelEn, field.LabelJa, field.Kind.ToString(), ContentValues.ToTyped(field, value)));
        }
        var groups = await (from membership in db.MemberGroupMemberships.AsNoTracking()
                            join g in db.MemberGroups.AsNoTracking() on membership.GroupId equals g.Id
                            where membership.MemberId == memberId
                            orderby membership.AddedAtUtc
                            select new MemberPersonalDataGroup(g.Id, g.NameJa, g.NameEn, membership.AddedAtUtc)).ToListAsync(cancellationToken);
        var signIns = await db.MemberSignIns.AsNoTracking().Where(s => s.MemberId == memberId).OrderByDescending(s => s.AtUtc)
            .Select(s => new { s.AtUtc, s.IpAddress, s.UserAgent, s.Outcome }).ToListAsync(cancellationToken);
        var consents = await db.MemberConsents.AsNoTracking().Where(c => c.MemberId == memberId).OrderBy(c => c.GrantedAtUtc)
            .Select(c => new MemberPersonalDataConsent(c.Kind, c.Version, c.GrantedAtUtc, c.WithdrawnAtUtc)).ToListAsync(cancellationToken);
        var tokens = await db.MemberTokens.AsNoTracking().Where(t => t.MemberId == memberId).OrderBy(t => t.CreatedAtUtc)
            .Select(t => new { t.Purpose, t.CreatedAtUtc, t.ExpiresAtUtc, t.UsedAtUtc }).ToListAsync(cancellationToken);
        var sessions = await db.MemberRefreshTokens.AsNoTracking().Where(t => t.MemberId == memberId).OrderBy(t => t.CreatedAtUtc)
            .Select(t => new MemberPersonalDataSession(t.FamilyId, t.Persistent, t.CreatedAtUtc, t.ExpiresAtUtc, t.UsedAtUtc, t.RevokedAtUtc)).ToListAsync(cancellationToken);
        var entries = await AuditEntriesAsync(db, memberId, cancellationToken);

        var document = new MemberPersonalDataDocument(
            now.UtcDateTime,
            new MemberPersonalDataProfile(member.Id, member.Email, member.DisplayName, member.NameKana, member.Language, member.Status.ToString(),
                member.IsLockedOut(now), member.LockoutEndUtc, member.PasswordHash is not null, member.PasswordSetAtUtc, member.CreatedAtUtc,
                member.UpdatedAtUtc, member.EmailVerifiedAtUtc, member.LastSignInAtUtc, member.ErasedAtUtc),
            fields,
            groups,
            [.. signIns.Select(s => new MemberPersonalDataSignIn(s.AtUtc, s.IpAddress, s.UserAgent, s.Outcome.ToString()))],
            consents,
            [.. tokens.Select(t => new MemberPersonalDataToken(t.Purpose.ToString(), t.CreatedAtUtc, t.ExpiresAtUtc, t.UsedAtUtc))],
            sessions,
            entries);
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberPersonalDataExported, EntityType, memberId.ToString("D"),
            AuditParameters.Of(
                ("consents", Count(consents.Count)),
                ("entries", Count(entries.Count)),
                ("groups", Count(groups.Count)),
                ("links", Count(tokens.Count)),
                ("profileFields", Count(fields.Count)),
                ("sessions", Count(sessions.Count)),
                ("signIns", Count(signIns.Count)))),
            cancellationToken);
        return Result.Ok(document);
    }

    public async Task<Result<MemberErasure>> EraseAsync(Guid memberId, string confirmationEmail, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return Result<MemberErasure>.NotFound(MemberDataMessages.Get("Member.NotFound"));
        }
        if (member.Status == MemberStatus.Erased)
        {
            return Result<MemberErasure>.Conflict(MemberDataMessages.Get("Erase.Already"));
        }
        if (string.IsNullOrWhiteSpace(confirmationEmail) || MemberText.NormalizeEmail(confirmationEmail) != member.NormalizedEmail)
        {
            return Result<MemberErasure>.Invalid([new FieldError("ConfirmationEmail", MemberDataMessages.Get("Erase.Confirm"))]);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var statusBefore = member.Status;
        MemberErasure erasure;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var groups = await db.MemberGroupMemberships.Where(g => g.MemberId == memberId).ExecuteDeleteAsync(cancellationToken);
            var signIns = await db.MemberSignIns.Where(s => s.MemberId == memberId).ExecuteDeleteAsync(cancellationToken);
            var consents = await db.MemberConsents.Where(c => c.MemberId == memberId).ExecuteDeleteAsync(cancellationToken);
            var tokens = await db.MemberTokens.Where(t => t.MemberId == memberId).ExecuteDeleteAsync(cancellationToken);
            var refreshTokens = await db.MemberRefreshTokens.Where(t => t.MemberId == memberId).ExecuteDeleteAsync(cancellationToken);
            await db.Set<MemberImportInvitation>().Where(i => i.MemberId == memberId).ExecuteDeleteAsync(cancellationToken);
            // Crypto-shredding, in the same transaction: the key that every protected copy of the member's values
            // (audit before/after) was encrypted with is gone the moment the anonymized row is.
            await db.Set<MemberDataKey>().Where(k => k.MemberId == memberId).ExecuteDeleteAsync(cancellationToken);

            member.Email = ErasedEmail(memberId);
            member.DisplayName = "";
            member.NameKana = null;
            member.ProfileJson = "{}";
            member.PasswordHash = null;
            member.PasswordSetAtUtc = null;
            member.MustChangePassword = false;
            member.AccessFailedCount = 0;
            member.LockoutEndUtc = null;
            member.EmailVerifiedAtUtc = null;
            member.LastSignInAtUtc = null;
            member.Status = MemberStatus.Erased;
            member.ErasedAtUtc = now;
            member.UpdatedAtUtc = now;
            member.SecurityStamp = Guid.NewGuid().ToString("N");
            member.ConcurrencyToken = Guid.NewGuid();
            member.RefreshDerivedFields();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            erasure = new MemberErasure(memberId, now, groups, signIns, consents, tokens, refreshTokens);
        }
        // Drops this instance's cached copy of the key at once (the row is already gone; idempotent).
        await personal.ShredAsync(memberId, CancellationToken.None);
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberErased, EntityType, memberId.ToString("D"),
            AuditParameters.Of(
                ("consents", Count(erasure.Consents)),
                ("groups", Count(erasure.Groups)),
                ("links", Count(erasure.Tokens)),
                ("refreshTokens", Count(erasure.RefreshTokens)),
                ("signIns", Count(erasure.SignIns))),
            AuditOutcome.Success,
            [new FieldChange("Status", statusBefore.ToString(), nameof(MemberStatus.Erased))]), CancellationToken.None);
        return Result.Ok(erasure);
    }

    /// <summary>
    /// The audit entries about the member (its entity id, or a protected value of it in the before/after), oldest first,
    /// with the member's protected values revealed; a protected value of another member stays withheld.
    /// </summary>
    private async Task<List<MemberPersonalDataAuditEntry>> AuditEntriesAsync(KurocoDbContext db, Guid memberId, CancellationToken cancellationToken)
    {
        var idD = memberId.ToString("D");
        var idN = memberId.ToString("N");
        var marker = MemberPersonalDataText.Prefix + idN + ":";
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityId == idD || e.EntityId == idN || (e.Changes != null && e.Changes.Contains(marker)) || e.ActorName.Contains(marker))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        var result = new List<MemberPersonalDataAuditEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var changes = new List<FieldChange>();
            foreach (var change in AuditChanges.Deserialize(entry.Changes))
            {
                changes.Add(change with { Before = await RevealAsync(memberId, change.Before, cancellationToken), After = await RevealAsync(memberId, change.After, cancellationToken) });
            }
            result.Add(new MemberPersonalDataAuditEntry(entry.Sequence, entry.OccurredAtUtc, entry.Action, await RevealAsync(memberId, entry.ActorName, cancellationToken) ?? "",
                entry.Summary, entry.Outcome.ToString(), entry.IpAddress, changes,
                entry.FormatVersion >= AuditEntry.ParametersFormat ? AuditParameters.Deserialize(entry.Parameters) : null));
        }
        return result;
    }

    private async Task<string?> RevealAsync(Guid memberId, string? stored, CancellationToken cancellationToken)
    {
        if (!MemberPersonalDataText.IsProtected(stored))
        {
            return stored;
        }
        return MemberPersonalDataText.MemberOf(stored) == memberId ? await personal.RevealAsync(stored, cancellationToken) : Withheld;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
