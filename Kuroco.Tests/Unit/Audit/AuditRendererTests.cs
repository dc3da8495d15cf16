using Kuroco.Admin;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Core.Audit;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Kuroco.Tests.Unit.Audit;

/// <summary>The log reads in the viewer's language: summaries, roles, entity types, field labels and values.</summary>
public sealed class AuditRendererTests
{
    internal static IStringLocalizer<AuditResource> Localizer() =>
        new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<AuditResource>>();

    private static AuditRenderer Renderer(string zone = "Asia/Tokyo") =>
        new(Localizer(), TimeZoneInfo.FindSystemTimeZoneById(zone));

    private static AuditEntry Entry(string action, IReadOnlyDictionary<string, string?> parameters, string actor = "editor@example.com") => new()
    {
        Sequence = 9,
        Action = action,
        ActorName = actor,
        EntityType = "Staff",
        EntityId = "user-2",
        FormatVersion = AuditEntry.ParametersFormat,
        Parameters = AuditParameters.Serialize(parameters),
    };

    [Theory]
    [InlineData("en", "editor@example.com changed their password (required change).")]
    [InlineData("ja", "editor@example.com がパスワードを変更しました（変更が必須）。")]
    public void A_required_password_change_reads_in_the_viewers_language(string culture, string expected)
    {
        using var scope = new CultureScope(culture);
        var entry = Entry(AuditActions.PasswordChanged, AuditParameters.Of(("email", "editor@example.com"), ("variant", "required")));

        Assert.Equal(expected, Renderer().Summary(entry));
    }

    [Theory]
    [InlineData("en", "Staff account new@example.com created with roles Content editor, Security officer.")]
    [InlineData("ja", "スタッフアカウント new@example.com をロール コンテンツ編集者、セキュリティ責任者 で作成しました。")]
    public void Role_codes_in_a_summary_read_as_role_names(string culture, string expected)
    {
        using var scope = new CultureScope(culture);
        var entry = Entry(AuditActions.StaffCreated, AuditParameters.Of(("email", "new@example.com"), ("roles", "ContentEditor,SecurityOfficer")));

        Assert.Equal(expected, Renderer().Summary(entry));
    }

    [Theory]
    [InlineData("en", "Sign-in failed for editor@example.com: wrong password.")]
    [InlineData("ja", "editor@example.com のサインインに失敗しました: パスワードが違います。")]
    public void A_reason_code_reads_as_text(string culture, string expected)
    {
        using var scope = new CultureScope(culture);

        Assert.Equal(expected, Renderer().Summary(Entry(AuditActions.SignInFailed, AuditParameters.Of(("reason", "wrong-password")))));
    }

    [Fact]
    public void Roles_fields_and_values_read_in_japanese()
    {
        using var scope = new CultureScope("ja");
        var renderer = Renderer();

        Assert.Equal("コンテンツ編集者", renderer.RoleName("ContentEditor"));
        Assert.Equal("パスワード変更が必須", renderer.FieldLabel("MustChangePassword"));
        Assert.Equal("はい", renderer.Value("MustChangePassword", "true"));
        Assert.Equal("いいえ", renderer.Value("MustChangePassword", "false"));
        Assert.Equal("管理者、運用担当", renderer.Value("Roles", "Administrator,Operator"));
        // An unknown code is shown as it is rather than hidden.
        Assert.Equal("NewRole", renderer.RoleName("NewRole"));
    }

    [Fact]
    public void Times_read_in_the_viewers_zone()
    {
        using var scope = new CultureScope("en");

        Assert.Equal("2026-12-06 09:30", Renderer("Asia/Tokyo").Value("LockoutEnd", "2026-12-06T00:30:00.0000000Z"));
        Assert.Equal("2026-12-06 00:30", Renderer("UTC").Value("LockoutEnd", "2026-12-06T00:30:00.0000000Z"));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public void An_entry_written_before_issue_12_shows_its_stored_summary(string culture)
    {
        using var scope = new CultureScope(culture);
        var old = new AuditEntry { Action = AuditActions.PasswordChanged, Summary = "editor@example.com changed their password." };

        Assert.Equal("editor@example.com changed their password.", Renderer().Summary(old));
    }

    [Fact]
    public void An_action_without_a_template_shows_its_name_and_entity()
    {
        using var scope = new CultureScope("ja");

        var text = Renderer().Summary(Entry("future.action", AuditParameters.Of(("x", "1"))));

        Assert.Equal("future.action (スタッフアカウント user-2)", text);
    }

    [Fact]
    public void Every_action_belongs_to_an_area_with_a_name_in_both_languages()
    {
        var localizer = Localizer();
        Assert.Equal(AuditActions.All.Order(StringComparer.Ordinal), AuditActions.Areas.SelectMany(a => a.Actions).Order(StringComparer.Ordinal));
        Assert.Contains(AuditActions.Areas, a => a.Code == "auth" && a.Actions.Contains(AuditActions.PasswordChanged));
        foreach (var culture in new[] { "en", "ja" })
        {
            using var scope = new CultureScope(culture);
            var unnamed = AuditActions.Areas.Where(a => localizer[AuditDisplay.AreaName(a.Code)].ResourceNotFound).Select(a => a.Code).ToList();
            Assert.True(unnamed.Count == 0, $"Areas without a name ({culture}): {string.Join(", ", unnamed)}. Add area:{{code}} to AuditResource.");
        }
        using (new CultureScope("ja"))
        {
            Assert.Equal("スタッフ", localizer[AuditDisplay.AreaName("staff")].Value);
        }
    }
}
