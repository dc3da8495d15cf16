using Kuroco.Core.Content;

namespace Kuroco.Core.Members;

/// <summary>
/// What member-only content needs from the members feature: the groups an editor can restrict content to, and the groups a
/// signed-in member reads for (rules: <see cref="ContentMemberAccess"/>).
/// </summary>
public interface IMemberContentAccess
{
    /// <summary>Every member group, by Japanese name then English name (for the editors' "Members only" choice).</summary>
    Task<IReadOnlyList<MemberGroup>> GroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The audience of a member whose access token the request carries (the bearer scheme already refused a member who is not
    /// active): the groups they are in now. A member in no group reads what anonymous callers read.
    /// </summary>
    Task<ContentAudience> AudienceAsync(Guid memberId, CancellationToken cancellationToken = default);
}
