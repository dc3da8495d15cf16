using System.Globalization;
using Kuroco.Core.Members;

namespace Kuroco.Infrastructure.Demo;

/// <summary>
/// The demo's member base: three groups and 200 members of "Sakura Works" — mostly Japanese names (with their kana reading,
/// writing in Japanese), some English ones (writing in English) — emails <c>member001@demo.example</c> … <c>member200@demo.example</c>,
/// all verified and active. Everyone is in Regular; member001 and every fifth member after it are in Premium, every tenth is a
/// Referral. Fixed data: every demo database reads the same. Pure, so the shape is tested without a database.
/// </summary>
internal static class DemoMembers
{
    public const int Count = 200;
    public const string EmailDomain = "demo.example";

    public sealed record Group(string Key, string NameJa, string NameEn);

    public static readonly Group Regular = new("regular", "一般会員", "Regular");
    public static readonly Group Premium = new("premium", "プレミアム会員", "Premium");
    public static readonly Group Referral = new("referral", "スタッフ紹介", "Referral");

    public static IReadOnlyList<Group> Groups { get; } = [Regular, Premium, Referral];

    /// <summary>Slugs of the published demo news items restricted to Premium members.</summary>
    public static IReadOnlyList<string> PremiumNews { get; } = ["tea-ceremony-workshop-april", "annual-report-2025", "new-ceo-message"];

    private static readonly (string Kanji, string Kana)[] FamilyNames =
    [
        ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"),
        ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("松本", "マツモト"),
        ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("清水", "シミズ"), ("山口", "ヤマグチ"), ("森", "モリ"), ("池田", "イケダ"),
        ("橋本", "ハシモト"), ("阿部", "アベ"), ("石川", "イシカワ"),
    ];

    private static readonly (string Kanji, string Kana)[] GivenNames =
    [
        ("陽翔", "ハルト"), ("結菜", "ユイナ"), ("蓮", "レン"), ("陽葵", "ヒマリ"), ("湊", "ミナト"), ("凛", "リン"), ("大翔", "ヒロト"), ("咲良", "サクラ"),
        ("健太", "ケンタ"), ("美咲", "ミサキ"), ("翔太", "ショウタ"), ("花子", "ハナコ"), ("拓海", "タクミ"), ("彩", "アヤ"), ("直樹", "ナオキ"),
        ("恵子", "ケイコ"), ("誠", "マコト"), ("由美", "ユミ"), ("大輔", "ダイスケ"), ("真由美", "マユミ"), ("隆", "タカシ"), ("奈々", "ナナ"), ("悠真", "ユウマ"),
    ];

    private static readonly string[] EnglishGiven =
    [
        "Emma", "Oliver", "Sophie", "James", "Charlotte", "Daniel", "Grace", "Thomas", "Emily", "Lucas", "Hannah", "Samuel", "Chloe", "Benjamin", "Olivia",
        "Jack", "Mia", "Henry", "Amelia", "Noah",
    ];

    private static readonly string[] EnglishFamily =
    [
        "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Walker", "Wright", "Thompson", "Clarke", "Hughes", "Green", "Baker",
        "Martin", "Hall", "Wood", "Turner", "Cooper", "Kelly",
    ];

    public sealed record Person(int Number, string Email, string DisplayName, string? NameKana, string Language, IReadOnlyList<string> GroupKeys);

    /// <summary>The email of demo member <paramref name="number"/> (1–200): <c>member001@demo.example</c>.</summary>
    public static string Email(int number) => "member" + number.ToString("000", CultureInfo.InvariantCulture) + "@" + EmailDomain;

    /// <summary>The 200 demo members in order: every fourth has an English name (member004, member008, …), the others Japanese ones.</summary>
    public static IReadOnlyList<Person> People { get; } = [.. Enumerable.Range(1, Count).Select(Make)];

    private static Person Make(int number)
    {
        var index = number - 1;
        var groups = new List<string> { Regular.Key };
        if (index % 5 == 0)
        {
            groups.Add(Premium.Key);
        }
        if (number % 10 == 0)
        {
            groups.Add(Referral.Key);
        }
        if (number % 4 == 0)
        {
            var english = index / 4;
            var given = EnglishGiven[english % EnglishGiven.Length];
            var family = EnglishFamily[(english * 7 + english / EnglishGiven.Length) % EnglishFamily.Length];
            return new Person(number, Email(number), given + " " + family, null, MemberLanguages.English, groups);
        }
        // Coprime steps through both lists: no two Japanese demo members share a name.
        var (familyKanji, familyKana) = FamilyNames[(index * 5) % FamilyNames.Length];
        var (givenKanji, givenKana) = GivenNames[(index * 7 + index / FamilyNames.Length) % GivenNames.Length];
        return new Person(number, Email(number), familyKanji + " " + givenKanji, familyKana + " " + givenKana, MemberLanguages.Japanese, groups);
    }

    /// <summary>
    /// The member rows: signed up over the past 200 days (member001 first), verified and active. <paramref name="passwordHash"/>
    /// is the hash of <c>Kuroco:Demo:MemberPassword</c>, or null when it is empty (the members then cannot sign in).
    /// </summary>
    public static List<Member> Build(IReadOnlyDictionary<string, Guid> groupIds, string? passwordHash, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var members = new List<Member>(Count);
        foreach (var person in People)
        {
            var created = nowUtc.AddDays(-(Count - person.Number) - 1).AddMinutes(person.Number * 7 % 600);
            var member = new Member
            {
                Id = Guid.NewGuid(),
                Email = person.Email,
                DisplayName = person.DisplayName,
                NameKana = person.NameKana,
                Language = person.Language,
                Status = MemberStatus.Active,
                PasswordHash = passwordHash,
                PasswordSetAtUtc = passwordHash is null ? null : nowUtc,
                CreatedAtUtc = created,
                UpdatedAtUtc = created,
                EmailVerifiedAtUtc = created.AddMinutes(5),
            };
            member.RefreshDerivedFields();
            member.Groups.AddRange(person.GroupKeys.Select(key => new MemberGroupMembership { MemberId = member.Id, GroupId = groupIds[key], AddedAtUtc = created }));
            members.Add(member);
        }
        return members;
    }
}
