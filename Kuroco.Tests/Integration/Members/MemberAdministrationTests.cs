using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// Staff's changes to one member through IMemberAdministration and the settings stores, over the real SQLite file: each is
/// audited with before and after (personal values protected and revealable), bad input and stale tokens change nothing.
/// </summary>
public sealed class MemberAdministrationTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private Task<T> AdminAsync<T>(Func<IMemberAdministration, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IMemberAdministration>()));

    private Task<Member> StoredAsync(Guid id) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking().SingleAsync(m => m.Id == id));

    private async Task<AuditEntry> LastEntryAsync(string action, Guid memberId) =>
        (await factory.AuditEntriesAsync()).Last(e => e.Action == action && e.EntityId == memberId.ToString());

    [Fact]
    public async Task A_profile_edit_is_validated_saved_and_audited_with_protected_before_and_after()
    {
        var member = await factory.AddMemberAsync("山田 太郎", "やまだ たろう");
        var detail = (await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().GetAsync(member.Id)))!;
        var edit = MemberProfileEdit.From(detail, []);
        edit.DisplayName = "山田 次郎";
        edit.Email = "not an email";

        var refused = await AdminAsync(a => a.UpdateProfileAsync(edit));
        Assert.Equal(ErrorKind.Validation, refused.Error);
        Assert.Contains(refused.FieldErrors, e => e.Field == nameof(MemberProfileEdit.Email));
        Assert.Equal("山田 太郎", (await StoredAsync(member.Id)).DisplayName);

        edit.Email = $"jiro-{Guid.NewGuid():N}@example.jp";
        var saved = await AdminAsync(a => a.UpdateProfileAsync(edit));

        Assert.True(saved.Succeeded, saved.Message);
        Assert.NotEqual(detail.ConcurrencyToken, saved.Value!.ConcurrencyToken);
        var stored = await StoredAsync(member.Id);
        Assert.Equal("山田 次郎", stored.DisplayName);
        var entry = await LastEntryAsync(AuditActions.MemberProfileUpdated, member.Id);
        Assert.DoesNotContain("次郎", entry.Changes, StringComparison.Ordinal);
        // The summary names the changed fields by their label, never a value.
        Assert.Equal($"Profile of member {member.Id} updated: Display name, Email.", AuditText.English(entry));
        Assert.Equal($"会員 {member.Id} のプロフィールを更新しました: 表示名、メールアドレス。", AuditText.Japanese(entry));
        Assert.DoesNotContain("次郎", entry.Parameters + AuditText.English(entry) + AuditText.Japanese(entry), StringComparison.Ordinal);
        Assert.DoesNotContain(edit.Email, entry.Parameters + entry.Changes, StringComparison.Ordinal);
        var name = AuditChanges.Deserialize(entry.Changes).Single(c => c.Field == nameof(Member.DisplayName));
        var personal = factory.Services.GetRequiredService<IMemberPersonalData>();
        Assert.Equal("山田 太郎", await personal.RevealAsync(name.Before));
        Assert.Equal("山田 次郎", await personal.RevealAsync(name.After));

        // The token read before the save is stale now: refused, nothing changes.
        edit.DisplayName = "Overwritten";
        var stale = await AdminAsync(a => a.UpdateProfileAsync(edit));
        Assert.Equal(ErrorKind.PreconditionFailed, stale.Error);
        Assert.Equal("山田 次郎", (await StoredAsync(member.Id)).DisplayName);
    }

    [Fact]
    public async Task An_email_another_member_has_is_refused()
    {
        var other = await factory.AddMemberAsync("Other", email: $"taken-{Guid.NewGuid():N}@example.jp");
        var member = await factory.AddMemberAsync("Member");
        var detail = (await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().GetAsync(member.Id)))!;
        var edit = MemberProfileEdit.From(detail, []);
        edit.Email = other.Email.ToUpperInvariant();

        var result = await AdminAsync(a => a.UpdateProfileAsync(edit));

        Assert.Contains(result.FieldErrors, e => e.Field == nameof(MemberProfileEdit.Email));
        Assert.Equal(member.Email, (await StoredAsync(member.Id)).Email);
    }

    [Fact]
    public async Task Custom_profile_fields_follow_the_schema_rules()
    {
        var schema = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberProfileSchemaStore>().GetAsync());
        var savedSchema = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberProfileSchemaStore>().SaveAsync(new MemberProfileSchema
        {
            ConcurrencyToken = schema.ConcurrencyToken,
            Fields =
            [
                new FieldDefinition { Key = "plan", LabelEn = "Plan", LabelJa = "プラン", Kind = FieldKind.SingleChoice, Choices = ["basic", "pro"] },
                new FieldDefinition { Key = "age", LabelEn = "Age", LabelJa = "年齢", Kind = FieldKind.Number, MinValue = 0, MaxValue = 150 },
            ],
        }));
        Assert.True(savedSchema.Succeeded, savedSchema.Message);
        var badKind = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberProfileSchemaStore>().SaveAsync(new MemberProfileSchema
        {
            ConcurrencyToken = savedSchema.Value!.ConcurrencyToken,
            Fields = [new FieldDefinition { Key = "photo", LabelEn = "Photo", Kind = FieldKind.Media }],
        }));
        Assert.Equal(ErrorKind.Validation, badKind.Error);
        Assert.Contains((await factory.AuditEntriesAsync()), e => e.Action == AuditActions.MemberProfileSchemaChanged);

        var member = await factory.AddMemberAsync("Custom");
        var detail = (await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().GetAsync(member.Id)))!;
        var edit = MemberProfileEdit.From(detail, savedSchema.Value!.ActiveFields);
        edit.Profile["plan"] = "gold";
        edit.Profile["age"] = "200";

        var refused = await AdminAsync(a => a.UpdateProfileAsync(edit));
        Assert.Contains(refused.FieldErrors, e => e.Field == MemberConsoleRules.ProfileKey("plan"));
        Assert.Contains(refused.FieldErrors, e => e.Field == MemberConsoleRules.ProfileKey("age"));

        edit.Profile["plan"] = "pro";
        edit.Profile["age"] = "42";
        var saved = await AdminAsync(a => a.UpdateProfileAsync(edit));
        Assert.True(saved.Succeeded, saved.Message);
        Assert.Equal("pro", saved.Value!.Profile["plan"]);
    }

    [Fact]
    public async Task Suspend_revokes_sessions_reactivate_unlock_and_sign_out_everywhere_are_audited_with_before_and_after()
    {
        var member = await factory.AddMemberAsync("Status");
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            db.MemberRefreshTokens.Add(new MemberRefreshToken
            {
                Id = Guid.NewGuid(), MemberId = member.Id, FamilyId = Guid.NewGuid(), TokenHash = MemberSecrets.Hash(MemberSecrets.Generate()),
                CreatedAtUtc = DateTime.UtcNow, ExpiresAtUtc = DateTime.UtcNow.AddDays(1),
            });
            var stored = await db.Members.SingleAsync(m => m.Id == member.Id);
            stored.LockoutEndUtc = DateTime.UtcNow.AddMinutes(10);
            stored.AccessFailedCount = 5;
            await db.SaveChangesAsync();
        });
        var stampBefore = (await StoredAsync(member.Id)).SecurityStamp;

        var suspended = await AdminAsync(a => a.SuspendAsync(member.Id));
        Assert.Equal(MemberStatus.Suspended, suspended.Value!.Status);
        var afterSuspend = await StoredAsync(member.Id);
        Assert.NotEqual(stampBefore, afterSuspend.SecurityStamp);
        Assert.Equal(0, await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().MemberRefreshTokens.CountAsync(t => t.MemberId == member.Id && t.RevokedAtUtc == null)));
        var suspendedEntry = await LastEntryAsync(AuditActions.MemberSuspended, member.Id);
        Assert.Equal($"Member {member.Id} suspended: sign-in refused, sessions ended.", AuditText.English(suspendedEntry));
        Assert.Equal($"会員 {member.Id} を利用停止にしました。サインインを拒否し、セッションを終了しました。", AuditText.Japanese(suspendedEntry));
        var entry = AuditChanges.Deserialize(suspendedEntry.Changes);
        Assert.Contains(entry, c => c.Field == "Status" && c.Before == "Active" && c.After == "Suspended");
        Assert.Contains(entry, c => c.Field == "ActiveSessions" && c.Before == "1" && c.After == "0");
        // The stamp is a secret: the entry shows that it changed, never its value.
        Assert.Contains(entry, c => c.Field == "SecurityStamp" && c.After == AuditChanges.Masked);
        Assert.Equal(ErrorKind.Conflict, (await AdminAsync(a => a.SuspendAsync(member.Id))).Error);

        var reactivated = await AdminAsync(a => a.ReactivateAsync(member.Id, suspended.Value.ConcurrencyToken));
        Assert.Equal(MemberStatus.Active, reactivated.Value!.Status);
        Assert.Contains(AuditChanges.Deserialize((await LastEntryAsync(AuditActions.MemberReactivated, member.Id)).Changes),
            c => c.Field == "Status" && c.Before == "Suspended" && c.After == "Active");

        var unlocked = await AdminAsync(a => a.UnlockAsync(member.Id));
        Assert.Null(unlocked.Value!.LockoutEndUtc);
        Assert.Equal(0, unlocked.Value.AccessFailedCount);
        Assert.Contains(AuditChanges.Deserialize((await LastEntryAsync(AuditActions.MemberUnlocked, member.Id)).Changes),
            c => c.Field == "Locked" && c.Before == "true" && c.After == "false");

        var stampBeforeSignOut = (await StoredAsync(member.Id)).SecurityStamp;
        var signedOut = await AdminAsync(a => a.SignOutEverywhereAsync(member.Id));
        Assert.True(signedOut.Succeeded, signedOut.Message);
        Assert.NotEqual(stampBeforeSignOut, (await StoredAsync(member.Id)).SecurityStamp);
        Assert.Equal($"Member {member.Id} signed out everywhere: access tokens stop working, refresh tokens revoked.",
            AuditText.English(await LastEntryAsync(AuditActions.MemberSignedOutEverywhere, member.Id)));
        Assert.Equal($"Member {member.Id} unlocked: the failed sign-in count starts again.", AuditText.English(await LastEntryAsync(AuditActions.MemberUnlocked, member.Id)));
        Assert.Equal($"Member {member.Id} reactivated.", AuditText.English(await LastEntryAsync(AuditActions.MemberReactivated, member.Id)));

        // A stale token changes nothing.
        Assert.Equal(ErrorKind.PreconditionFailed, (await AdminAsync(a => a.SuspendAsync(member.Id, suspended.Value.ConcurrencyToken))).Error);
        Assert.Equal(MemberStatus.Active, (await StoredAsync(member.Id)).Status);
    }

    [Fact]
    public async Task Only_administrators_delete_a_member_and_the_deletion_leaves_earlier_entries_unreadable()
    {
        var member = await factory.AddMemberAsync("削除 される");
        var detail = (await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().GetAsync(member.Id)))!;
        var edit = MemberProfileEdit.From(detail, []);
        edit.DisplayName = "削除 された";
        Assert.True((await AdminAsync(a => a.UpdateProfileAsync(edit))).Succeeded);
        var editor = await factory.CreateStaffAsync($"editor-{Guid.NewGuid():N}@test.local", Kuroco.Core.Staff.StaffRoles.ContentEditor);

        var refused = await factory.WithScopeAsync(sp => ActivatorUtilities
            .CreateInstance<Kuroco.Infrastructure.Members.MemberAdministration>(sp, (IAuditContext)new SignedInAs(new AuditActor(editor, "editor@test.local", [Kuroco.Core.Staff.StaffRoles.ContentEditor])))
            .DeleteAsync(member.Id));
        Assert.Equal(ErrorKind.Forbidden, refused.Error);
        Assert.NotNull(await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().GetAsync(member.Id)));

        var deleted = await AdminAsync(a => a.DeleteAsync(member.Id));

        Assert.True(deleted.Succeeded, deleted.Message);
        Assert.Null(await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().GetAsync(member.Id)));
        var earlier = AuditChanges.Deserialize((await LastEntryAsync(AuditActions.MemberProfileUpdated, member.Id)).Changes).Single(c => c.Field == nameof(Member.DisplayName));
        Assert.Equal(MemberPersonalDataText.Erased, await factory.Services.GetRequiredService<IMemberPersonalData>().RevealAsync(earlier.After));
        var deletion = await LastEntryAsync(AuditActions.MemberDeleted, member.Id);
        Assert.Equal($"Member {member.Id} deleted with its groups, tokens, sign-ins and consents; its personal-data key was destroyed.", AuditText.English(deletion));
        Assert.Equal("{}", deletion.Parameters);
        Assert.Equal(0, await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().CountAsync(new MemberListFilter(Search: "削除"))));
    }

    [Fact]
    public async Task Registration_settings_normalize_domains_refuse_bad_input_and_are_audited()
    {
        var settings = await GetSettingsAsync();
        settings.Mode = MemberRegistrationMode.InvitationOnly;
        settings.AllowedDomains = ["@Example.JP", " corp.example.com "];
        settings.InvitationLinkHours = 48;

        var saved = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberRegistrationSettingsStore>().SaveAsync(settings));

        Assert.True(saved.Succeeded, saved.Message);
        var stored = await GetSettingsAsync();
        Assert.Equal(["example.jp", "corp.example.com"], stored.AllowedDomains);
        Assert.Equal(MemberRegistrationMode.InvitationOnly, stored.Mode);
        var settingsEntry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.MemberRegistrationSettingsChanged);
        Assert.Equal("Member registration settings changed: Allowed domains, Invitation link valid for (hours), Registration.", AuditText.English(settingsEntry));
        Assert.Equal("会員登録の設定を変更しました: 許可するドメイン、招待リンクの有効期間（時間）、登録方法。", AuditText.Japanese(settingsEntry));

        stored.InvitationLinkHours = 0;
        stored.DeniedDomains = ["not a domain"];
        var refused = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberRegistrationSettingsStore>().SaveAsync(stored));
        Assert.Equal(ErrorKind.Validation, refused.Error);
        Assert.Equal(48, (await GetSettingsAsync()).InvitationLinkHours);
    }

    private Task<MemberRegistrationSettings> GetSettingsAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberRegistrationSettingsStore>().GetAsync());

    /// <summary>Who the service sees as the current user.</summary>
    private sealed class SignedInAs(AuditActor actor) : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(actor);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }
}
