using System.Globalization;

namespace Kuroco.Core.Content;

/// <summary>
/// Member-only content: a content type, or one item, may be restricted to member groups (<see cref="ContentType.RestrictedToGroups"/>,
/// <see cref="ContentItem.RestrictedToGroups"/>; empty = public, as before). The rules, pure and shared by the delivery
/// index, the delivery API, the services and the console:
/// <list type="bullet">
/// <item>An item's own restriction, when it has one, <b>replaces</b> its type's (item-level overrides; not a union): an item of a
/// Premium-only type restricted to Regular is read by Regular members only. An item without one inherits its type's.
/// An item of a restricted type cannot be made public on its own (an empty item list means "as the type").</item>
/// <item>A restricted item is served only to a member of one of the groups (any one is enough), who presents a valid access
/// token together with the site's API key. Everyone else — no token, a spent token, a member of another group — gets no
/// trace of it: absent from lists and totals, 404 on a direct read, an id where a reference would expand.</item>
/// <item>Restricted wins over a public type: "public" lets callers without a key read the type's unrestricted items only.</item>
/// <item>A group that no longer exists grants nothing: content restricted to deleted groups only is read by no one (never public).</item>
/// </list>
/// </summary>
public static class ContentMemberAccess
{
    /// <summary>At most this many groups in one restriction.</summary>
    public const int MaxGroups = 20;

    /// <summary>The stored form's length limit: <see cref="MaxGroups"/> GUIDs (36 characters) and their separators.</summary>
    public const int StoredMaxLength = MaxGroups * 37;

    /// <summary>The groups that may read an item: its own when it has any, else its type's (empty: public).</summary>
    public static IReadOnlyList<Guid> Effective(IReadOnlyList<Guid>? typeGroups, IReadOnlyList<Guid>? itemGroups) =>
        itemGroups is { Count: > 0 } ? itemGroups : typeGroups ?? [];

    /// <summary>Whether an item with these effective groups may be served to <paramref name="audience"/>.</summary>
    public static bool Allows(IReadOnlyList<Guid> effectiveGroups, ContentAudience audience)
    {
        ArgumentNullException.ThrowIfNull(effectiveGroups);
        ArgumentNullException.ThrowIfNull(audience);
        return effectiveGroups.Count == 0 || effectiveGroups.Any(audience.Groups.Contains);
    }

    /// <summary>The stored text of a restriction: GUIDs in "D" form, ordered and separated by spaces ("" when public).</summary>
    public static string Store(IEnumerable<Guid>? groups) =>
        groups is null ? "" : string.Join(' ', groups.Distinct().Order().Select(g => g.ToString("D", CultureInfo.InvariantCulture)));

    /// <summary>The restriction read back from <see cref="Store"/> (anything that is not a GUID is skipped).</summary>
    public static List<Guid> Read(string? stored) =>
        string.IsNullOrWhiteSpace(stored) ? []
        : [.. stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty)];

    /// <summary>Two restrictions hold the same groups (order and duplicates aside).</summary>
    public static bool SameGroups(IEnumerable<Guid>? a, IEnumerable<Guid>? b) => Store(a) == Store(b);

    /// <summary>
    /// For the audit log: the groups by name ("プレミアム会員 / Premium"), or "public" / "as the type" when there are none.
    /// Names of groups that no longer exist show as their id.
    /// </summary>
    public static string Describe(IEnumerable<Guid>? groups, IReadOnlyDictionary<Guid, string> names, string whenEmpty = "public")
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = groups?.Distinct().ToList() ?? [];
        return list.Count == 0 ? whenEmpty
            : "members of " + string.Join(", ", list.Select(g => names.TryGetValue(g, out var name) ? name : g.ToString("D", CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal));
    }
}

/// <summary>
/// Who a delivery request reads for: <see cref="Anonymous"/> (no member: public items only), or a signed-in member and the groups
/// they are in. A member in no group reads what anonymous callers read.
/// </summary>
public sealed class ContentAudience
{
    private ContentAudience(Guid? memberId, IReadOnlySet<Guid> groups)
    {
        MemberId = memberId;
        Groups = groups;
    }

    /// <summary>No member: only unrestricted items.</summary>
    public static ContentAudience Anonymous { get; } = new(null, new HashSet<Guid>());

    public static ContentAudience Member(Guid memberId, IEnumerable<Guid> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return new(memberId, groups.ToHashSet());
    }

    public Guid? MemberId { get; }

    public IReadOnlySet<Guid> Groups { get; }

    public bool IsMember => MemberId is not null;

    /// <summary>
    /// What the answer depends on beyond the request: "anonymous", or the member's groups in order. Mixed into the ETag of a member's
    /// answer, so that an entity tag seen by a member never validates the answer of a caller without that access.
    /// </summary>
    public string Signature => IsMember
        ? "member:" + string.Join(',', Groups.Order().Select(g => g.ToString("N", CultureInfo.InvariantCulture)))
        : "anonymous";
}
