using System.Xml.Linq;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Audit;

/// <summary>
/// Member entries read in English and Japanese beyond their summaries: every field the member writers record in
/// before/after has a label, and the coded values (status, language, registration mode) read as words.
/// </summary>
public sealed class MemberAuditTextTests
{
    /// <summary>
    /// The fields the member writers put in <c>changes</c> (MemberAdministration, MemberAccountActions, MemberRegistrationService,
    /// MemberSelfService, MemberBulkActions, MemberGroupService, MemberSettingsStores, MemberDataRequestService). Custom profile
    /// fields are recorded as "Profile.{key}" and show their key.
    /// </summary>
    public static TheoryData<string> MemberFields => new()
    {
        nameof(Member.Email), nameof(Member.DisplayName), nameof(Member.NameKana), nameof(Member.Language), "Profile", nameof(Member.Status),
        "Groups", "Locked", nameof(Member.AccessFailedCount), nameof(Member.SecurityStamp), "ActiveSessions", "MemberIds", "Group",
        nameof(MemberGroup.NameJa), nameof(MemberGroup.NameEn), "Members", "MovedTo",
        nameof(MemberRegistrationSettings.Mode), nameof(MemberRegistrationSettings.AllowedDomains), nameof(MemberRegistrationSettings.DeniedDomains),
        nameof(MemberRegistrationSettings.RequireEmailVerification), nameof(MemberRegistrationSettings.VerificationLinkHours),
        nameof(MemberRegistrationSettings.InvitationLinkHours), "Fields",
    };

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Kuroco.Admin", "Resources", file))
            .Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(MemberFields))]
    public void Every_member_field_has_a_label_in_english_and_japanese(string field)
    {
        Assert.True(Load("AuditResource.resx").ContainsKey("field:" + field), $"field:{field} is missing from AuditResource.resx");
        Assert.True(Load("AuditResource.ja.resx").ContainsKey("field:" + field), $"field:{field} is missing from AuditResource.ja.resx");
    }

    [Fact]
    public void Member_status_language_and_registration_mode_read_as_words_in_both_languages()
    {
        var coded = Enum.GetNames<MemberStatus>().SelectMany(s => new[] { "value:Status:" + s, "value:state:" + s })
            .Concat(Enum.GetNames<MemberRegistrationMode>().Select(m => "value:Mode:" + m))
            .Concat(MemberLanguages.All.Select(l => "value:Language:" + l))
            .Concat(["value:encoding:utf-8", "value:encoding:utf-8-bom", "value:encoding:shift_jis", "value:existing:Skip", "value:existing:Update"])
            .ToList();
        foreach (var file in new[] { "AuditResource.resx", "AuditResource.ja.resx" })
        {
            var resources = Load(file);
            var missing = coded.Where(k => !resources.ContainsKey(k)).ToList();
            Assert.True(missing.Count == 0, $"Missing from {file}: {string.Join(", ", missing)}");
        }

        using (new CultureScope("ja"))
        {
            var renderer = AuditText.Renderer();
            Assert.Equal("利用停止中", renderer.Value("Status", nameof(MemberStatus.Suspended)));
            Assert.Equal("会員数", renderer.FieldLabel("Members"));
            Assert.Equal("日本語", renderer.Value("Language", MemberLanguages.Japanese));
            Assert.Equal("招待のみ", renderer.Value("Mode", nameof(MemberRegistrationMode.InvitationOnly)));
        }
        using (new CultureScope("en"))
        {
            Assert.Equal("Pending email verification", AuditText.Renderer().Value("Status", nameof(MemberStatus.PendingVerification)));
        }
    }

    [Theory]
    [InlineData("AuditResource.resx")]
    [InlineData("AuditResource.ja.resx")]
    public void No_two_audit_keys_differ_only_in_case(string file)
    {
        // The resource lookup does not tell "value:status:X" from "value:Status:X": one of them would silently win.
        var clashes = Load(file).Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ToList();
        Assert.True(clashes.Count == 0, "Keys that differ only in case: " + string.Join(", ", clashes));
    }

    [Theory]
    [InlineData("en", "Bulk: 40 members suspended, their sessions ended (batch 2 of 3, 120 selected).")]
    [InlineData("ja", "一括操作: 会員 40 件を利用停止にし、セッションを終了しました（バッチ 2/3、選択 120 件）。")]
    public void A_bulk_batch_reads_in_the_viewers_language(string culture, string expected)
    {
        using var scope = new CultureScope(culture);
        var entry = new AuditEntry
        {
            Action = AuditActions.MembersBulkSuspended,
            ActorName = "support@example.com",
            EntityType = "Member",
            FormatVersion = AuditEntry.ParametersFormat,
            Parameters = AuditParameters.Serialize(AuditParameters.Of(("batch", "2"), ("batches", "3"), ("count", "40"), ("selected", "120"))),
        };

        Assert.Equal(expected, AuditText.Renderer().Summary(entry));
    }
}
