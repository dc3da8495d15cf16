namespace Kuroco.Core.Members;

/// <summary>A group of members (e.g. 一般会員 / Regular, プレミアム会員 / Premium): what member-only content is restricted to.</summary>
public sealed class MemberGroup
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; }

    /// <summary>The name in a Japanese console (may be empty when <see cref="NameEn"/> is set).</summary>
    public string NameJa { get; set; } = "";

    /// <summary>The name in an English console (may be empty when <see cref="NameJa"/> is set).</summary>
    public string NameEn { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();

    /// <summary>The name in <paramref name="language"/> ("ja"/"en"), else the other one.</summary>
    public string NameFor(string language)
    {
        var (first, second) = language == MemberLanguages.Japanese ? (NameJa, NameEn) : (NameEn, NameJa);
        return !string.IsNullOrWhiteSpace(first) ? first : second;
    }
}

/// <summary>A member's place in a group.</summary>
public sealed class MemberGroupMembership
{
    public Guid MemberId { get; set; }

    public Guid GroupId { get; set; }

    public DateTime AddedAtUtc { get; set; }
}
