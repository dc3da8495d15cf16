using System.Globalization;
using System.Resources;

namespace Kuroco.Core.Backups;

/// <summary>Localized messages of the scoped restore (Resources/ScopedRestoreMessages.resx and .ja.resx), in the current UI culture.</summary>
public static class ScopedRestoreMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.ScopedRestoreMessages", typeof(ScopedRestoreMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}

/// <summary>The conflict codes of <see cref="RestoreRecordDiff.ConflictCode"/> (pages localize "Restore.Conflict.{code}").</summary>
public static class RestoreConflictCodes
{
    /// <summary>The member's email now belongs to another member. KeepLive or Rename (an "+restored" alias).</summary>
    public const string EmailTaken = "email-taken";

    /// <summary>The item's slug is now used by another item of the type. KeepLive or Rename ("slug-restored").</summary>
    public const string SlugTaken = "slug-taken";

    /// <summary>A member group's name is now used by another group. KeepLive or Rename.</summary>
    public const string GroupNameTaken = "group-name-taken";

    /// <summary>The live member was erased on request: an erasure is never undone. KeepLive only.</summary>
    public const string MemberErased = "member-erased";

    /// <summary>The item's content type no longer exists live and is not in the scope. KeepLive only.</summary>
    public const string TypeMissing = "type-missing";

    /// <summary>Another live content type has the backup type's API identifier. KeepLive only.</summary>
    public const string TypeKeyTaken = "type-key-taken";

    /// <summary>The resource key of a code's explanation.</summary>
    public static string MessageKey(string code) => code switch
    {
        EmailTaken => "Restore.Conflict.EmailTaken",
        SlugTaken => "Restore.Conflict.SlugTaken",
        GroupNameTaken => "Restore.Conflict.GroupNameTaken",
        MemberErased => "Restore.Conflict.MemberErased",
        TypeMissing => "Restore.Conflict.TypeMissing",
        TypeKeyTaken => "Restore.Conflict.TypeKeyTaken",
        _ => code,
    };

    /// <summary>Conflicts Rename can resolve.</summary>
    public static bool CanRename(string code) => code is EmailTaken or SlugTaken or GroupNameTaken;
}

/// <summary>The entity types of <see cref="RestoreRecordDiff.EntityType"/> (the audit's entity codes where there is one).</summary>
public static class RestoreEntityTypes
{
    public const string Member = "Member";
    public const string MemberGroup = "MemberGroup";
    public const string Membership = "MemberGroupMembership";
    public const string ContentType = "ContentType";
    public const string ContentItem = "ContentItem";
    public const string ContentVersion = "ContentVersion";
    public const string MediaItem = "MediaItem";
}
