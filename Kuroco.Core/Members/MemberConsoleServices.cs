using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;

namespace Kuroco.Core.Members;

/// <summary>
/// What staff change on a member's profile. <see cref="Fields"/> is the profile schema the custom values are checked
/// against: the service always replaces it with the stored schema's active fields, the form sets it to show the same rules.
/// </summary>
public sealed class MemberProfileEdit
{
    public Guid MemberId { get; set; }

    public string Email { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string? NameKana { get; set; }

    public string Language { get; set; } = MemberLanguages.Japanese;

    /// <summary>Custom profile values by field key, in the stored string form of content values (<see cref="ContentValues"/>).</summary>
    public Dictionary<string, string?> Profile { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The token read with the member; a save with a stale one is refused (<see cref="ErrorKind.PreconditionFailed"/>).</summary>
    public Guid ConcurrencyToken { get; set; }

    public IReadOnlyList<FieldDefinition> Fields { get; set; } = [];

    public static MemberProfileEdit From(MemberDetail member, IEnumerable<FieldDefinition> fields)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new()
        {
            MemberId = member.Id,
            Email = member.Email,
            DisplayName = member.DisplayName,
            NameKana = member.NameKana,
            Language = member.Language,
            Profile = new(member.Profile, StringComparer.Ordinal),
            ConcurrencyToken = member.ConcurrencyToken,
            Fields = [.. fields],
        };
    }
}

/// <summary>
/// Staff's changes to one member. Every change is audited with before and after (personal values protected with
/// <see cref="IMemberPersonalData"/>) and renews the member's concurrency token; a stale token (when given) is refused
/// with <see cref="ErrorKind.PreconditionFailed"/> and changes nothing.
/// </summary>
public interface IMemberAdministration
{
    /// <summary>Email (refused when another member has it), name, reading, language and the custom fields.</summary>
    Task<Result<MemberDetail>> UpdateProfileAsync(MemberProfileEdit edit, CancellationToken cancellationToken = default);

    /// <summary>Replaces the member's groups with <paramref name="groupIds"/> (each must exist).</summary>
    Task<Result<MemberDetail>> SetGroupsAsync(Guid memberId, IReadOnlyCollection<Guid> groupIds, Guid concurrencyToken, CancellationToken cancellationToken = default);

    /// <summary>Stops an active or pending member: sign-in refused, security stamp renewed, refresh tokens revoked.</summary>
    Task<Result<MemberDetail>> SuspendAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default);

    /// <summary>Lets a suspended member back: active when the address was verified, else pending verification.</summary>
    Task<Result<MemberDetail>> ReactivateAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default);

    /// <summary>Ends a lockout after failed sign-ins and resets the failure count.</summary>
    Task<Result<MemberDetail>> UnlockAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default);

    /// <summary>Ends every session: a new security stamp (access tokens stop working) and every refresh token revoked.</summary>
    Task<Result<MemberDetail>> SignOutEverywhereAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Administrators only: removes the account with its groups, tokens, sign-ins and consents, and destroys its personal-data
    /// key, so earlier audit entries about it can no longer be read. The audit entry of the deletion holds no personal value.
    /// </summary>
    Task<Result> DeleteAsync(Guid memberId, Guid? concurrencyToken = null, CancellationToken cancellationToken = default);
}

/// <summary>The members a bulk action covers: the ones picked in the list, or all that match a filter.</summary>
public sealed record MemberSelection(IReadOnlyList<Guid>? Ids, MemberListFilter? Filter)
{
    /// <summary>The most members one bulk action covers.</summary>
    public const int MaxMembers = 100_000;

    public static MemberSelection Of(IEnumerable<Guid> ids) => new([.. ids.Distinct()], null);

    public static MemberSelection Matching(MemberListFilter filter) => new(null, filter ?? MemberListFilter.None);
}

/// <summary>What a bulk action did: how many members it covered and how many it changed (the others already were so).</summary>
public sealed record MemberBulkOutcome(int Selected, int Changed);

/// <summary>
/// Changes to many members at once, in batches. Each batch is one transaction and one audit entry (entity "Member", no
/// entity id) listing the ids it changed, so thousands stay fast and each member's history still finds it.
/// </summary>
public interface IMemberBulkActions
{
    public const int BatchSize = 500;

    Task<Result<MemberBulkOutcome>> AddToGroupAsync(MemberSelection selection, Guid groupId, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="IMemberAdministration.SuspendAsync"/> for each active or pending member of the selection.</summary>
    Task<Result<MemberBulkOutcome>> SuspendAsync(MemberSelection selection, CancellationToken cancellationToken = default);
}

/// <summary>A group as the groups page lists it.</summary>
public sealed record MemberGroupSummary(Guid Id, string NameJa, string NameEn, int MemberCount, DateTime CreatedAtUtc, Guid ConcurrencyToken)
{
    public string NameFor(string language) =>
        new MemberGroup { NameJa = NameJa, NameEn = NameEn }.NameFor(language);
}

/// <summary>A group's names (one of the two is enough).</summary>
public sealed class MemberGroupInput
{
    public string NameJa { get; set; } = "";

    public string NameEn { get; set; } = "";
}

public enum MemberGroupDeletionMode
{
    /// <summary>Delete only an empty group.</summary>
    OnlyIfEmpty = 0,

    /// <summary>Move the members to <see cref="MemberGroupDeletion.TargetGroupId"/>, then delete.</summary>
    MoveMembers,

    /// <summary>Take the members out of the group (they stay members, in their other groups), then delete.</summary>
    RemoveMembers,
}

public sealed record MemberGroupDeletion(MemberGroupDeletionMode Mode, Guid? TargetGroupId = null)
{
    public static MemberGroupDeletion OnlyIfEmpty { get; } = new(MemberGroupDeletionMode.OnlyIfEmpty);
}

/// <summary>Why a group was not deleted: it still has members (carried by the <see cref="ErrorKind.Conflict"/>).</summary>
public sealed record MemberGroupInUse(int MemberCount);

/// <summary>The member groups. Each change is audited; deleting is for Administrators.</summary>
public interface IMemberGroupService
{
    /// <summary>Every group with its member count, by name in <paramref name="language"/>.</summary>
    Task<IReadOnlyList<MemberGroupSummary>> ListAsync(string language, CancellationToken cancellationToken = default);

    /// <summary>A new group; a name another group has (in the same language) is refused.</summary>
    Task<Result<MemberGroupSummary>> CreateAsync(MemberGroupInput input, CancellationToken cancellationToken = default);

    Task<Result<MemberGroupSummary>> RenameAsync(Guid groupId, MemberGroupInput input, Guid concurrencyToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the group. With members left and <see cref="MemberGroupDeletionMode.OnlyIfEmpty"/>: a
    /// <see cref="ErrorKind.Conflict"/> carrying <see cref="MemberGroupInUse"/>. The value is how many members were moved or removed.
    /// </summary>
    Task<Result<int>> DeleteAsync(Guid groupId, MemberGroupDeletion deletion, Guid concurrencyToken, CancellationToken cancellationToken = default);
}

/// <summary>How people become members (one stored row). Saving is for Administrators; the value is the audited changes.</summary>
public interface IMemberRegistrationSettingsStore
{
    Task<MemberRegistrationSettings> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Validates, normalizes the domain lists (lower case, no "@"), stores and audits; invalid input changes nothing.</summary>
    Task<Result<IReadOnlyList<FieldChange>>> SaveAsync(MemberRegistrationSettings settings, CancellationToken cancellationToken = default);
}

/// <summary>The custom profile fields (one stored row). Saving is for Administrators.</summary>
public interface IMemberProfileSchemaStore
{
    Task<MemberProfileSchema> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the edited field list as a content type's is saved: a removed field is archived (members keep its values), a kind
    /// change that could lose values is refused. A stale <see cref="MemberProfileSchema.ConcurrencyToken"/> is refused.
    /// </summary>
    Task<Result<MemberProfileSchema>> SaveAsync(MemberProfileSchema schema, CancellationToken cancellationToken = default);
}
