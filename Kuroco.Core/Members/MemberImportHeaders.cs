using Kuroco.Core.Content;

namespace Kuroco.Core.Members;

/// <summary>
/// Suggests the field of each column from its header: first what an earlier import mapped that header to (remembered),
/// then the usual English and Japanese names (メールアドレス, 氏名, フリガナ…), then a custom field's key or label. Each
/// field is suggested for one column at most (the first).
/// </summary>
public static class MemberImportHeaders
{
    private static readonly Dictionary<string, MemberImportTarget> KnownHeaders = Build(
        (MemberImportTarget.Email, ["email", "e-mail", "mail", "emailaddress", "mailaddress", "メール", "メールアドレス", "eメール", "eメールアドレス"]),
        (MemberImportTarget.DisplayName, ["displayname", "name", "fullname", "membername", "氏名", "名前", "お名前", "表示名", "会員名"]),
        (MemberImportTarget.NameKana, ["namekana", "kana", "furigana", "reading", "フリガナ", "ふりがな", "カナ", "氏名カナ", "氏名(カナ)", "氏名(フリガナ)", "セイメイ"]),
        (MemberImportTarget.Language, ["language", "lang", "locale", "言語", "使用言語"]),
        (MemberImportTarget.Groups, ["groups", "group", "membergroups", "グループ", "会員グループ", "会員種別"]));

    /// <summary>The key a header is compared by: folded (<see cref="MemberText.Fold"/>) without spaces, underscores or hyphens inside.</summary>
    public static string Key(string? header)
    {
        var folded = MemberText.Fold(header);
        var compact = new string([.. folded.Where(c => c is not (' ' or '_' or '　'))]);
        return compact.Length <= MemberImportHeaderMemory.HeaderMaxLength ? compact : compact[..MemberImportHeaderMemory.HeaderMaxLength];
    }

    public static IReadOnlyList<MemberImportColumn> Suggest(
        IReadOnlyList<string> headers,
        IReadOnlyList<FieldDefinition> profileFields,
        IReadOnlyDictionary<string, MemberImportHeaderMemory> remembered)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(profileFields);
        ArgumentNullException.ThrowIfNull(remembered);
        var active = profileFields.Where(f => !f.IsArchived).ToList();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var columns = new List<MemberImportColumn>(headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            var key = Key(header);
            var (target, fieldKey) = Guess(key, active, remembered);
            var slot = target == MemberImportTarget.Profile ? "profile:" + fieldKey : target.ToString();
            if (target != MemberImportTarget.Ignore && !taken.Add(slot))
            {
                (target, fieldKey) = (MemberImportTarget.Ignore, null);
            }
            columns.Add(new MemberImportColumn(i, header, target, fieldKey));
        }
        return columns;
    }

    private static (MemberImportTarget Target, string? FieldKey) Guess(
        string key, List<FieldDefinition> fields, IReadOnlyDictionary<string, MemberImportHeaderMemory> remembered)
    {
        if (key.Length == 0)
        {
            return (MemberImportTarget.Ignore, null);
        }
        if (remembered.TryGetValue(key, out var memory)
            && (memory.Target != MemberImportTarget.Profile || fields.Any(f => f.Key == memory.FieldKey)))
        {
            return (memory.Target, memory.Target == MemberImportTarget.Profile ? memory.FieldKey : null);
        }
        if (KnownHeaders.TryGetValue(key, out var known))
        {
            return (known, null);
        }
        var field = fields.FirstOrDefault(f => Key(f.Key) == key)
            ?? fields.FirstOrDefault(f => Key(f.LabelJa) == key || Key(f.LabelEn) == key);
        return field is null ? (MemberImportTarget.Ignore, null) : (MemberImportTarget.Profile, field.Key);
    }

    private static Dictionary<string, MemberImportTarget> Build(params (MemberImportTarget Target, string[] Names)[] entries)
    {
        var map = new Dictionary<string, MemberImportTarget>(StringComparer.Ordinal);
        foreach (var (target, names) in entries)
        {
            foreach (var name in names)
            {
                map[Key(name)] = target;
            }
        }
        return map;
    }
}
