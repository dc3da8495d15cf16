using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// A real SQLite file migrated by the app's own start-up code (so the search index and its triggers are the production
/// ones) holding 100,000 members: Japanese and English names with readings, emails at 40 domains, 85 % active, 7 % pending,
/// 5 % suspended, 2 % erased, 1 % locked, 70 % with a last sign-in, in three groups (Regular 80 %, Premium 10 %, Referral
/// 2 %). Built once into a temp folder and reused by every benchmark process; delete the folder, or bump
/// <see cref="Version"/>, to rebuild.
/// </summary>
public static class MemberListDatabase
{
    public const int MemberCount = 100_000;
    private const string Version = "v3";
    private const int BatchSize = 5_000;

    public static readonly Guid RegularGroupId = new("a7e3c1d0-0000-4000-8000-000000000001");
    public static readonly Guid PremiumGroupId = new("a7e3c1d0-0000-4000-8000-000000000002");
    public static readonly Guid ReferralGroupId = new("a7e3c1d0-0000-4000-8000-000000000003");

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "kuroco-bench-members-" + Version);

    public static string DatabasePath => Path.Combine(Folder, "kuroco.db");

    public static async Task<ServiceProvider> OpenAsync(Action<string>? log = null)
    {
        log ??= Console.WriteLine;
        Directory.CreateDirectory(Folder);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = Folder,
            ["Database:Provider"] = "Sqlite",
            ["Kuroco:Jobs:RunServer"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInfrastructure(configuration, Folder);
        services.AddScoped<IAuditContext, BenchAuditContext>();
        var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var marker = Path.Combine(Folder, "filled");
        if (!File.Exists(marker))
        {
            var started = Stopwatch.StartNew();
            await FillAsync(provider);
            await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            log($"Filled {DatabasePath} with {MemberCount:N0} members in {started.Elapsed.TotalSeconds:N1} s.");
        }
        return provider;
    }

    private static readonly (string Name, string Kana)[] Surnames =
    [
        ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"),
        ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
        ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"),
        ("斎藤", "サイトウ"), ("清水", "シミズ"), ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"),
    ];

    private static readonly (string Name, string Kana)[] GivenNames =
    [
        ("花子", "ハナコ"), ("太郎", "タロウ"), ("陽菜", "ヒナ"), ("蓮", "レン"), ("結衣", "ユイ"), ("大翔", "ヒロト"), ("美咲", "ミサキ"),
        ("翔太", "ショウタ"), ("さくら", "サクラ"), ("健", "ケン"), ("葵", "アオイ"), ("悠真", "ユウマ"), ("凛", "リン"), ("湊", "ミナト"),
        ("結菜", "ユイナ"), ("颯太", "ソウタ"), ("芽依", "メイ"), ("陽翔", "ハルト"), ("莉子", "リコ"), ("樹", "イツキ"),
    ];

    private static readonly string[] EnglishFirst = ["Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Sophia", "Lucas", "Mia", "Ethan", "Grace", "Oliver"];
    private static readonly string[] EnglishLast = ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clark", "Walker", "Hughes", "Wright", "Evans"];

    private static readonly string[] Romaji =
        ["sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura", "kobayashi", "kato", "yoshida", "yamada",
         "sasaki", "yamaguchi", "matsumoto", "inoue", "kimura", "hayashi", "saito", "shimizu", "yamazaki", "mori", "ikeda", "hashimoto"];

    private static async Task FillAsync(IServiceProvider provider)
    {
        var contexts = provider.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        var now = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            // A half-built database from an interrupted run starts again from empty.
            await db.MemberGroupMemberships.ExecuteDeleteAsync();
            await db.Members.ExecuteDeleteAsync();
            await db.MemberGroups.ExecuteDeleteAsync();
            db.MemberGroups.AddRange(
                new MemberGroup { Id = RegularGroupId, NameJa = "一般会員", NameEn = "Regular", CreatedAtUtc = now, UpdatedAtUtc = now },
                new MemberGroup { Id = PremiumGroupId, NameJa = "プレミアム会員", NameEn = "Premium", CreatedAtUtc = now, UpdatedAtUtc = now },
                new MemberGroup { Id = ReferralGroupId, NameJa = "スタッフ紹介", NameEn = "Referral", CreatedAtUtc = now, UpdatedAtUtc = now });
            await db.SaveChangesAsync();
        }
        var random = new Random(11);
        for (var start = 0; start < MemberCount; start += BatchSize)
        {
            await using var db = await contexts.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var n = start; n < Math.Min(MemberCount, start + BatchSize); n++)
            {
                db.Members.Add(Member(random, now, n));
            }
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        // No ANALYZE: the app never runs it, so the planner works here as it does in production (no statistics).
    }

    private static Member Member(Random random, DateTime now, int n)
    {
        var japanese = random.Next(100) < 80;
        string name, kana, local;
        if (japanese)
        {
            var (surname, surnameKana) = Surnames[random.Next(Surnames.Length)];
            var (given, givenKana) = GivenNames[random.Next(GivenNames.Length)];
            name = surname + " " + given;
            kana = surnameKana + " " + givenKana;
            local = Romaji[Array.FindIndex(Surnames, s => s.Name == surname)];
        }
        else
        {
            var first = EnglishFirst[random.Next(EnglishFirst.Length)];
            var last = EnglishLast[random.Next(EnglishLast.Length)];
            name = first + " " + last;
            kana = "";
            local = first.ToLowerInvariant() + "." + last.ToLowerInvariant();
        }
        var created = now.AddMinutes(-random.Next(4 * 365 * 24 * 60));
        var roll = random.Next(100);
        var status = roll < 85 ? MemberStatus.Active : roll < 92 ? MemberStatus.PendingVerification : roll < 97 ? MemberStatus.Suspended : roll < 99 ? MemberStatus.Erased : MemberStatus.Active;
        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = string.Create(CultureInfo.InvariantCulture, $"{local}{n:D6}@example{random.Next(40)}.jp"),
            DisplayName = name,
            NameKana = kana.Length > 0 ? kana : null,
            Language = japanese ? MemberLanguages.Japanese : MemberLanguages.English,
            Status = status,
            CreatedAtUtc = created,
            UpdatedAtUtc = created,
            EmailVerifiedAtUtc = status == MemberStatus.PendingVerification ? null : created.AddMinutes(5),
            LastSignInAtUtc = status != MemberStatus.PendingVerification && random.Next(100) < 76 ? created.AddMinutes(random.Next(1, 200_000)) : null,
            LockoutEndUtc = roll == 99 ? now.AddYears(5) : null,
            PasswordHash = "bench-no-password",
            ProfileJson = "{}",
        };
        member.RefreshDerivedFields();
        var group = random.Next(100);
        if (group < 80)
        {
            member.Groups.Add(new MemberGroupMembership { MemberId = member.Id, GroupId = RegularGroupId, AddedAtUtc = created });
        }
        if (group is >= 70 and < 80)
        {
            member.Groups.Add(new MemberGroupMembership { MemberId = member.Id, GroupId = PremiumGroupId, AddedAtUtc = created });
        }
        if (group >= 98)
        {
            member.Groups.Add(new MemberGroupMembership { MemberId = member.Id, GroupId = ReferralGroupId, AddedAtUtc = created });
        }
        return member;
    }

    private sealed class BenchAuditContext : IAuditContext
    {
        private static readonly AuditActor Actor = new(null, "bench", []);

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Actor);

        public AuditOrigin GetOrigin() => new(null, null, "bench");
    }
}
