using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Writes the audit entries of member changes made in the console. Entity "Member" with the member's id; the entries are
/// language-neutral (parameters for the <c>summary:{action}</c> template) and their parameters never hold a personal value; in before/after the personal fields (email, name, reading, custom profile fields) are stored
/// through <see cref="IMemberPersonalData.ProtectAsync"/>, so erasing the member makes them unreadable while the hash chain
/// still verifies.
/// </summary>
internal sealed class MemberAuditWriter(IAuditLog audit, IMemberPersonalData personal)
{
    public const string EntityType = "Member";

    private static readonly HashSet<string> PersonalFields = new(StringComparer.Ordinal)
    {
        nameof(Member.Email), nameof(Member.DisplayName), nameof(Member.NameKana),
    };

    public static string EntityId(Guid memberId) => memberId.ToString("D", CultureInfo.InvariantCulture);

    public static bool IsPersonal(string field) => PersonalFields.Contains(field) || field.StartsWith("Profile.", StringComparison.Ordinal);

    /// <summary>Audits the fields that differ between the two snapshots (nothing when none does); returns whether it wrote.</summary>
    public async Task<bool> WriteChangesAsync(string action, Guid memberId, IReadOnlyDictionary<string, string?> parameters,
        IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after, CancellationToken cancellationToken)
    {
        var changes = AuditChanges.Diff(before, after);
        if (changes.Count == 0)
        {
            return false;
        }
        await WriteAsync(action, memberId, parameters, changes, cancellationToken);
        return true;
    }

    public async Task WriteAsync(string action, Guid memberId, IReadOnlyDictionary<string, string?> parameters, IReadOnlyList<FieldChange> changes,
        CancellationToken cancellationToken)
    {
        var stored = new List<FieldChange>(changes.Count);
        foreach (var change in changes)
        {
            stored.Add(IsPersonal(change.Field)
                ? change with
                {
                    Before = await personal.ProtectAsync(memberId, change.Before, cancellationToken),
                    After = await personal.ProtectAsync(memberId, change.After, cancellationToken),
                }
                : change);
        }
        await audit.WriteAsync(new AuditRecord(action, EntityType, EntityId(memberId), parameters, changes: stored), cancellationToken);
    }

    /// <summary>One entry for a batch of a bulk action: no entity id, the changed members' ids listed under "MemberIds".</summary>
    public Task WriteBulkAsync(string action, IReadOnlyDictionary<string, string?> parameters, IReadOnlyCollection<Guid> memberIds,
        IReadOnlyList<FieldChange> changes, CancellationToken cancellationToken) =>
        audit.WriteAsync(new AuditRecord(action, EntityType, null, parameters,
            changes: [new FieldChange("MemberIds", null, string.Join(",", memberIds.Select(EntityId))), .. changes]), cancellationToken);

    public Task WriteOtherAsync(AuditRecord record, CancellationToken cancellationToken) => audit.WriteAsync(record, cancellationToken);
}

/// <summary>Who may do what in the members area beyond the page's own policy.</summary>
internal static class MemberConsoleAccess
{
    /// <summary>
    /// Null when the acting user is an Administrator (or the system itself: a job, a seeder), else the refusal. Deleting and
    /// the members area's settings are for Administrators (README "Members → Console").
    /// </summary>
    public static async Task<Result?> RequireAdministratorAsync(IAuditContext context)
    {
        var actor = await context.GetActorAsync();
        return actor == AuditActor.System || actor.Roles.Contains(StaffRoles.Administrator, StringComparer.Ordinal)
            ? null
            : Result.Forbidden(MemberConsoleMessages.Get("Members.AdministratorsOnly"));
    }
}
